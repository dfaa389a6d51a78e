/**
 * SaslHandshake (API key 17): a client proposes a SASL mechanism. The workbench offers no
 * SASL, so the broker answers UNSUPPORTED_SASL_MECHANISM with an empty mechanism list;
 * the schema exists so that a client configured for SASL gets a clear answer instead of
 * a closed connection.
 *
 * Versions implemented: 0-1 (= Kafka 4.0). Never flexible (Kafka cannot bump this API,
 * KAFKA-9577). v1 means the SASL exchange continues with SaslAuthenticate frames.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const saslHandshakeSchema = {
  apiKey: 17,
  name: 'SaslHandshake',
  validVersions: [0, 1],
  kafkaVersions: [0, 1],
  flexibleVersions: 'none',
  request: [{ name: 'mechanism', type: 'string', versions: '0+' }],
  response: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'mechanisms', type: '[]string', versions: '0+' },
  ],
} as const satisfies ApiSchema;

export type SaslHandshakeRequest = Message<typeof saslHandshakeSchema.request>;
export type SaslHandshakeRequestInput = MessageInput<typeof saslHandshakeSchema.request>;
export type SaslHandshakeResponse = Message<typeof saslHandshakeSchema.response>;
export type SaslHandshakeResponseInput = MessageInput<typeof saslHandshakeSchema.response>;
