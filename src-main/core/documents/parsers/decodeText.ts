/** Bytes of a text file as a string: UTF-8 (BOM dropped) or UTF-16 with a BOM; line ends become \n. */
export function decodeText(bytes: Uint8Array): string {
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  // TextDecoder drops the BOM itself; invalid sequences become U+FFFD (the sniffer already refused binary files).
  return new TextDecoder(encoding).decode(bytes).replace(/\r\n?/g, '\n');
}
