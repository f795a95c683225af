import { XMLBuilder } from 'fast-xml-parser';
import { encryptWeCom } from './crypto';
import { wecomSignature } from './verify';

/**
 * A self-built app's passive reply (reference/wecom.md §2, §6.2 a): the answer to a callback inside
 * its 5 s, in the HTTP response. The reply's XML is encrypted like a callback (receiveid = corp id)
 * and signed with our timestamp and the callback's nonce. Text goes in CDATA (the builder splits a
 * `]]>` inside it), so no value can break the XML.
 */
const builder = new XMLBuilder({ cdataPropName: '#cdata' });
const cdata = (text: string) => ({ '#cdata': text });

/** The plaintext that greys the clicker's own copy of the card: its buttons become one grey label. */
export function updateButtonXml(input: { toUser: string; corpId: string; createTime: number; replaceName: string }): string {
  return builder.build({
    xml: {
      ToUserName: cdata(input.toUser),
      FromUserName: cdata(input.corpId),
      CreateTime: input.createTime,
      MsgType: cdata('update_button'),
      Button: { ReplaceName: cdata(input.replaceName) },
    },
  });
}

/** `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>` around `plaintext`. */
export function passiveReplyXml(input: { token: string; encodingAesKey: string; corpId: string; plaintext: string; timestamp: number; nonce: string }): string {
  const encrypt = encryptWeCom(input.encodingAesKey, input.plaintext, input.corpId);
  const timestamp = String(input.timestamp);
  return builder.build({
    xml: {
      Encrypt: cdata(encrypt),
      MsgSignature: cdata(wecomSignature(input.token, timestamp, input.nonce, encrypt)),
      TimeStamp: timestamp,
      Nonce: cdata(input.nonce),
    },
  });
}
