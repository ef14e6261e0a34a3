/**
 * The worked example in the README of mgrmtech/fidelius-cli (the ABDM reference tool),
 * at commit 4d9b4a5: requester (HIU) and sender (HIP) key material from its `gkm` command,
 * the plaintext, and the `encryptedData` its `e` command printed. Public values published
 * for testing; used by the specs and the Java cross-check only.
 * (The README's x509PublicKey strings are not used: each has one stray base64 character,
 * 413 characters instead of 412, and does not decode.)
 */
export const FIDELIUS_CLI_VECTOR = {
  requester: {
    privateKey: 'DMxHPri8d7IT23KgLk281zZenMfVHSdeamq0RhwlIBk=',
    publicKey: 'BAheD5rUqTy4V5xR4/6HWmYpopu5CO+KO8BECS0udNqUTSNo91TIqIIy1A4Vh+F94c+n9vAcwXU2bGcfsI5f69Y=',
    nonce: '6uj1RdDUbcpI3lVMZvijkMC8Te20O4Bcyz0SyivX8Eg=',
  },
  sender: {
    privateKey: 'AYhVZpbVeX4KS5Qm/W0+9Ye2q3rnVVGmqRICmseWni4=',
    publicKey: 'BABVt+mpRLMXiQpIfEq6bj8hlXsdtXIxLsspmMgLNI1SR5mHgDVbjHO2A+U4QlMddGzqyEidzm1AkhtSxSO2Ahg=',
    nonce: 'lmXgblZwotx+DfBgKJF0lZXtAXgBEYr5khh79Zytr2Y=',
  },
  plaintext: "Wormtail should never have been Potter cottage's secret keeper.",
  encryptedData:
    'pzMvVZNNVtJzqPkkxcCbBUWgDEBy/mBXIeT2dJWI16ZAQnnXUb9lI+S4k8XK6mgZSKKSRIHkcNvJpllnBg548wUgavBa0vCRRwdL6kY6Yw==',
} as const;
