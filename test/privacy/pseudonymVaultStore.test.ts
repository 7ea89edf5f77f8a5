import { afterEach, describe, expect, it } from 'vitest';
import { Enclave } from '../../src-main/core/Enclave';
import { Pseudonymizer } from '../../src-main/core/privacy/pseudonymization/Pseudonymizer';
import { useTempDir } from '../support/tempDir';

describe('the per-conversation pseudonym vault in SQLite', () => {
  const tempDir = useTempDir();
  const open: Enclave[] = [];
  const openEnclave = (dataDir: string) => {
    const enclave = Enclave.open({ dataDir });
    open.push(enclave);
    return enclave;
  };
  afterEach(async () => {
    for (const enclave of open.splice(0)) await enclave.dispose();
  });

  it('keeps placeholders across restarts: same value, same placeholder; restore works from the stored mapping', async () => {
    const dataDir = tempDir();
    const first = openEnclave(dataDir);
    const conversation = first.conversations.create();
    const redacted = await new Pseudonymizer({ vault: first.pseudonymVaults.forConversation(conversation.id) }).redact(
      'Write to anna.kowalski@example.com today.'
    );
    expect(redacted.text).toBe('Write to [EMAIL_1] today.');
    await first.dispose();
    open.length = 0;

    const second = openEnclave(dataDir);
    const pseudonymizer = new Pseudonymizer({ vault: second.pseudonymVaults.forConversation(conversation.id) });
    expect(pseudonymizer.restore('Reply sent to [EMAIL_1].')).toBe('Reply sent to anna.kowalski@example.com.');
    const again = await pseudonymizer.redact('Cc ANNA.KOWALSKI@example.com and bo.chen@example.org');
    expect(again.text).toBe('Cc [EMAIL_1] and [EMAIL_2]');
  });

  it('keeps conversations apart and deletes a vault with its conversation', async () => {
    const enclave = openEnclave(tempDir());
    const a = enclave.conversations.create();
    const b = enclave.conversations.create();
    await new Pseudonymizer({ vault: enclave.pseudonymVaults.forConversation(a.id) }).redact('Mail a@example.com');
    expect(enclave.pseudonymVaults.forConversation(b.id).load()).toEqual([]);
    expect(enclave.pseudonymVaults.forConversation(a.id).load()).toEqual([
      { placeholder: '[EMAIL_1]', type: 'EMAIL', value: 'a@example.com' }
    ]);
    enclave.chat.deleteConversation(a.id);
    expect(enclave.pseudonymVaults.forConversation(a.id).load()).toEqual([]);
  });

  it('a mapping that cannot be stored fails the redaction instead of sending unmapped placeholders', async () => {
    const enclave = openEnclave(tempDir());
    const pseudonymizer = new Pseudonymizer({ vault: enclave.pseudonymVaults.forConversation('no-such-conversation') });
    await expect(pseudonymizer.redact('Mail a@example.com')).rejects.toThrow(/FOREIGN KEY/);
    expect(pseudonymizer.restore('[EMAIL_1]')).toBe('[EMAIL_1]');
  });
});
