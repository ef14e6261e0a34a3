import { ecdh, weierstrass, type WeierstrassOpts } from '@noble/curves/abstract/weierstrass.js';

/**
 * Curve25519 exactly as BouncyCastle defines its named curve "curve25519"
 * (`CustomNamedCurves.getByName("curve25519")`, class math.ec.custom.djb.Curve25519),
 * which ABDM's reference tool (Fidelius) uses with BC's JCE "ECDH" key agreement.
 *
 * This is the Montgomery curve v^2 = u^3 + 486662 u^2 + u rewritten in short Weierstrass
 * form y^2 = x^3 + a x + b over p = 2^255 - 19 (x = u + 486662/3), with the prime-order
 * subgroup of order n and cofactor 8. Points are therefore (x, y) pairs, exchanged as SEC1
 * encodings; none of this is the RFC 7748 X25519 encoding (a 32-byte u coordinate).
 * The parameters are checked against BouncyCastle itself in fidelius.interop.spec.ts.
 */
export const CURVE25519_WEIERSTRASS: WeierstrassOpts<bigint> = {
  p: 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffedn,
  a: 0x2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa984914a144n,
  b: 0x7b425ed097b425ed097b425ed097b425ed097b425ed097b4260b5e9c7710c864n,
  n: 0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3edn,
  h: 8n,
  // The base point: u = 9 mapped to Weierstrass form, with the y BouncyCastle chose.
  Gx: 0x2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad245an,
  Gy: 0x20ae19a1b8a086b4e01edd2c7748d14c923d4d7e6d7c61b229e9c5a27eced3d9n,
};

/** noble's generic short-Weierstrass point arithmetic on those parameters. */
export const Point = weierstrass(CURVE25519_WEIERSTRASS);

/** ECDH over that group: secret keys are 32-byte big-endian scalars in [1, n). */
export const curve = ecdh(Point);

/** Field element / scalar width in bytes. */
export const FIELD_BYTES = 32;
