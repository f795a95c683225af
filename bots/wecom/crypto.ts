import { decrypt, encrypt } from '@wecom/crypto';

/**
 * The WXBizMsgCrypt scheme through `@wecom/crypto` (AES-256-CBC, IV = key[0..16), PKCS#7 to 32-byte
 * blocks). The library checks neither the signature (verify.ts does, first) nor the receiveid: a wrong
 * key does not throw, it yields garbage, so the trailing receiveid must equal the corp id.
 */
export class WeComDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeComDecryptError';
  }
}

/** The plaintext of `Encrypt` / `echostr` whose receiveid is `receiveId` (the corp id for a self-built app). */
export function decryptWeCom(encodingAesKey: string, ciphertext: string, receiveId: string): string {
  const data = Buffer.from(ciphertext, 'base64');
  // Whole 16-byte AES blocks holding at least the random prefix and the length: otherwise never a WeCom ciphertext.
  if (data.length < 32 || data.length % 16 !== 0) throw new WeComDecryptError('not a WeCom ciphertext');
  let opened: { message: string; id: string };
  try {
    opened = decrypt(encodingAesKey, ciphertext);
  } catch (err) {
    throw new WeComDecryptError(`cannot decrypt: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (opened.id !== receiveId) throw new WeComDecryptError('the receiveid inside the ciphertext is not this corp id');
  return opened.message;
}

/** What WeCom does before pushing (tests), and a passive reply's `Encrypt`. `random` is fixed only for test vectors. */
export function encryptWeCom(encodingAesKey: string, message: string, receiveId: string, random?: Buffer): string {
  return encrypt(encodingAesKey, message, receiveId, random);
}
