import { createDecipheriv } from 'node:crypto';
import { decryptWeCom, WeComDecryptError } from '../wecom/crypto';

/**
 * An AI bot's ciphertext carries an empty receiveid (reference §2). `@wecom/crypto` yields garbage,
 * not an error, for a wrong key, and a garbage length field leaves an empty "receiveid" too: so the
 * plaintext's declared length must fill the padded block exactly (nothing after it), checked here
 * before the shared decryption.
 */
export function decryptAibot(encodingAesKey: string, ciphertext: string): string {
  const data = Buffer.from(ciphertext, 'base64');
  if (data.length < 32 || data.length % 16 !== 0) throw new WeComDecryptError('not a WeCom ciphertext');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > 32 || plain.length - pad < 20) throw new WeComDecryptError('cannot decrypt: bad padding');
  const declared = plain.readUInt32BE(16);
  if (20 + declared !== plain.length - pad) throw new WeComDecryptError('the receiveid inside the ciphertext is not empty (an AI bot\'s), or the key is wrong');
  return decryptWeCom(encodingAesKey, ciphertext, '');
}
