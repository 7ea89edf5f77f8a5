import { isIPv6 } from 'node:net';
import type { EntityCandidate } from '../types';

const octet = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const ipv4Pattern = new RegExp(String.raw`(?<![\w.-])${octet}(?:\.${octet}){3}(?![\w-]|\.\d)`, 'g');
const ipv6CandidatePattern = /(?<![\w:.])(?=[0-9A-Fa-f]{0,4}::?[0-9A-Fa-f])[0-9A-Fa-f:.]{3,45}(?![\w:])/g;
const versionContextPattern =
  /(?:\bv|(?<![a-z])(?:version|ver|release|build|firmware|fw|bios|sdk|driver|kernel|schema|rev|revision)(?![a-z])[\s:=#"'`-]{0,5})$/i;

/** Addresses that identify no one: unspecified, loopback and broadcast. */
const nonIdentifyingAddresses = new Set(['0.0.0.0', '255.255.255.255', '::', '::1']);

export function detectIpAddresses(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(ipv4Pattern)) {
    const address = match[0];
    if (
      nonIdentifyingAddresses.has(address) ||
      address.startsWith('127.') ||
      versionContextPattern.test(text.slice(Math.max(0, match.index - 24), match.index))
    )
      continue;

    entities.push({ type: 'IP_ADDRESS', start: match.index, end: match.index + address.length, score: 0.92, detector: 'ipv4' });
  }

  for (const match of text.matchAll(ipv6CandidatePattern)) {
    const address = match[0].replace(/\.+$/, '');
    if (nonIdentifyingAddresses.has(address) || !isIPv6(address)) continue;

    entities.push({ type: 'IP_ADDRESS', start: match.index, end: match.index + address.length, score: 0.92, detector: 'ipv6' });
  }

  return entities;
}
