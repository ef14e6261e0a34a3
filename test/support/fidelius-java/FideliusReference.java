import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.jce.spec.ECPrivateKeySpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.math.ec.ECPoint;

/**
 * An independent reference implementation of the ABDM (Fidelius) encryption scheme on the JVM,
 * written from the ABDM guidance with BouncyCastle's JCE provider, the library the ABDM
 * reference tool uses. The HIMS test suite (libs/fidelius/src/fidelius.interop.spec.ts)
 * compiles it with javac and talks to it over stdin/stdout.
 *
 * Protocol: one request per input line, fields separated by a TAB; one answer line per request,
 * "ok" followed by TAB-separated results, or "fail" and the exception class. Text is passed as
 * base64 of its UTF-8 bytes so that any character survives the line protocol.
 *
 *   params                                       -> p a b Gx Gy n h (hex, of BC's "curve25519")
 *   gkm                                          -> privateKey publicKey x509PublicKey nonce
 *   pub  privateKey                              -> publicKey x509PublicKey
 *   enc  textB64 senderNonce receiverNonce senderPrivateKey receiverPublicKey -> content
 *   dec  content receiverNonce senderNonce receiverPrivateKey senderPublicKey -> textB64
 *
 * Keys and nonces are base64: private key = BigInteger.toByteArray() of d; public key = the
 * uncompressed point 04||X||Y (or, as input, BC's X.509 encoding); nonce = 32 bytes.
 */
public final class FideliusReference {
    private static final String CURVE = "curve25519";
    private static final X9ECParameters X9 = CustomNamedCurves.getByName(CURVE);
    private static final ECParameterSpec SPEC =
            new ECParameterSpec(X9.getCurve(), X9.getG(), X9.getN(), X9.getH(), X9.getSeed());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder UNB64 = Base64.getDecoder();

    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) continue;
            String[] f = line.split("\t", -1);
            try {
                out.println("ok\t" + String.join("\t", handle(f)));
            } catch (Exception e) {
                out.println("fail\t" + e.getClass().getName());
            }
        }
    }

    private static String[] handle(String[] f) throws Exception {
        switch (f[0]) {
            case "params":
                return new String[] {
                    hex(X9.getCurve().getField().getCharacteristic()),
                    hex(X9.getCurve().getA().toBigInteger()),
                    hex(X9.getCurve().getB().toBigInteger()),
                    hex(X9.getG().getAffineXCoord().toBigInteger()),
                    hex(X9.getG().getAffineYCoord().toBigInteger()),
                    hex(X9.getN()),
                    hex(X9.getH()),
                };
            case "gkm": {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("ECDH", "BC");
                generator.initialize(SPEC, RANDOM);
                KeyPair pair = generator.generateKeyPair();
                byte[] nonce = new byte[32];
                RANDOM.nextBytes(nonce);
                ECPublicKey pub = (ECPublicKey) pair.getPublic();
                return new String[] {
                    B64.encodeToString(((ECPrivateKey) pair.getPrivate()).getD().toByteArray()),
                    B64.encodeToString(pub.getQ().getEncoded(false)),
                    B64.encodeToString(pub.getEncoded()),
                    B64.encodeToString(nonce),
                };
            }
            case "pub": {
                ECPoint q = X9.getG().multiply(new BigInteger(UNB64.decode(f[1]))).normalize();
                PublicKey pub = KeyFactory.getInstance("EC", "BC").generatePublic(new ECPublicKeySpec(q, SPEC));
                return new String[] {B64.encodeToString(q.getEncoded(false)), B64.encodeToString(pub.getEncoded())};
            }
            case "enc": {
                byte[] text = UNB64.decode(f[1]);
                Cipher cipher = gcm(Cipher.ENCRYPT_MODE, f[2], f[3], f[4], f[5]);
                return new String[] {B64.encodeToString(cipher.doFinal(text))};
            }
            case "dec": {
                byte[] content = UNB64.decode(f[1]);
                Cipher cipher = gcm(Cipher.DECRYPT_MODE, f[2], f[3], f[4], f[5]);
                return new String[] {B64.encodeToString(cipher.doFinal(content))};
            }
            default:
                throw new IllegalArgumentException("unknown request");
        }
    }

    /** AES-256-GCM set up from our private key and nonce and the peer's public key and nonce. */
    private static Cipher gcm(int mode, String ownNonce, String peerNonce, String ownPrivate, String peerPublic)
            throws Exception {
        byte[] a = UNB64.decode(ownNonce);
        byte[] b = UNB64.decode(peerNonce);
        if (a.length != 32 || b.length != 32) throw new IllegalArgumentException("nonce length");
        byte[] xor = new byte[32];
        for (int i = 0; i < 32; i++) xor[i] = (byte) (a[i] ^ b[i]);
        byte[] salt = Arrays.copyOfRange(xor, 0, 20);
        byte[] iv = Arrays.copyOfRange(xor, 20, 32);

        KeyAgreement agreement = KeyAgreement.getInstance("ECDH", "BC");
        agreement.init(privateKey(ownPrivate));
        agreement.doPhase(publicKey(peerPublic), true);
        byte[] secret = agreement.generateSecret();

        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, salt, new byte[0]));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);

        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", "BC");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        return cipher;
    }

    private static PrivateKey privateKey(String base64) throws Exception {
        BigInteger d = new BigInteger(UNB64.decode(base64));
        return KeyFactory.getInstance("EC", "BC").generatePrivate(new ECPrivateKeySpec(d, SPEC));
    }

    private static PublicKey publicKey(String base64) throws Exception {
        byte[] bytes = UNB64.decode(base64);
        KeyFactory factory = KeyFactory.getInstance("EC", "BC");
        if (bytes.length == 65) {
            return factory.generatePublic(new ECPublicKeySpec(X9.getCurve().decodePoint(bytes), SPEC));
        }
        return factory.generatePublic(new X509EncodedKeySpec(bytes));
    }

    private static String hex(BigInteger value) {
        return value.toString(16);
    }
}
