/** A call's transcript, read by the dialog side before the call's turn, and what the reading adds to the message. */
import type { z } from 'zod';
import { readCallSteps, type CallReading } from '../../dialogs/call-reading.ts';
import { inSlices } from '../http/in-slices.ts';
import type { inboundSchema } from './ports.ts';

/** A validated inbound message. */
type Message = z.infer<typeof inboundSchema>;

/**
 * Reads the call in `m.transcript`, outside any transaction and in slices: an hour-long call takes about a second,
 * and other turns and /healthz are answered meanwhile. The contact points found in the call are how the caller is
 * reached (the address) and who they are (the sender); the evidence is kept with the call for staff (payload.call).
 */
export async function readTranscript(m: Message, now: Date): Promise<{ message: Message; reading?: CallReading }> {
  if (!m.transcript) return { message: m };
  const reading = await inSlices(readCallSteps(m.transcript, now));
  const { email, phone } = reading.record;
  const call = (m.payload.call ?? {}) as Record<string, unknown>;
  return {
    reading,
    message: {
      ...m,
      sender: { ...m.sender, id: email ?? phone ?? m.sender.id },
      address: { ...m.address, email: email ?? null, phone: phone ?? null },
      payload: { ...m.payload, call: { ...call, evidence: reading.evidence } },
    },
  };
}
