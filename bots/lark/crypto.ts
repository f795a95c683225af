import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Lark's body encryption (Encrypt Key): AES-256-CBC, key = SHA-256 of the Encrypt Key string,
 * PKCS#7 padding, transmitted as base64(IV ‖ ciphertext) with a random 16-byte IV.
 */
const keyOf = (encryptKey: string) => createHash('sha256').update(encryptKey, 'utf8').digest();

/** The plaintext of an `encrypt` value; throws on anything that is not a well-formed ciphertext. */
export function decryptLark(encryptKey: string, encrypted: string): string {
  const data = Buffer.from(encrypted, 'base64');
  // An IV and at least one block, whole blocks only: otherwise it was never one of Lark's ciphertexts.
  if (data.length < 32 || data.length % 16 !== 0) throw new Error('not a Lark ciphertext');
  const decipher = createDecipheriv('aes-256-cbc', keyOf(encryptKey), data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}

/** What Lark does before pushing; used by tests to build inbound requests. `iv` is fixed only for test vectors. */
export function encryptLark(encryptKey: string, plaintext: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}
