import { describe, expect, it } from 'vitest';
import type { ChatModelOption } from '../../src-main/core/shared/types';
import { formatPrice, formatUsd, groupOptions, healthDetail, keyLabel, optionText } from '../../src-renderer/lib/cloudFormat';

const option = (overrides: Partial<ChatModelOption>): ChatModelOption => ({
  ref: 'work/gpt-x',
  label: 'gpt-x',
  group: 'work',
  local: false,
  available: true,
  unavailableReason: null,
  price: null,
  ...overrides
});

describe('cloud formatting for the renderer', () => {
  it('formats costs: two significant digits below a cent, cents above', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.0012)).toBe('$0.0012');
    expect(formatUsd(0.000123)).toBe('$0.00012');
    expect(formatUsd(1.5)).toBe('$1.50');
  });

  it('formats prices per million tokens', () => {
    expect(formatPrice({ inputPerMillion: 1.25, outputPerMillion: 10 })).toBe('$1.25 / $10 per 1M tokens');
    expect(formatPrice({ inputPerMillion: 0.05, outputPerMillion: 0.4 })).toBe('$0.05 / $0.40 per 1M tokens');
  });

  it('shows only whether a key is set and its last 4 characters', () => {
    expect(keyLabel({ set: true, last4: 'abcd' })).toBe('Key set ····abcd');
    expect(keyLabel({ set: true, last4: null })).toBe('Key set');
    expect(keyLabel({ set: false, last4: null })).toBe('No key');
  });

  it('names cloud picker entries by their ref, marks local ones, prices and explains unavailable ones', () => {
    expect(optionText(option({ price: { inputPerMillion: 1, outputPerMillion: 2 } }))).toBe('work/gpt-x · $1 / $2 per 1M tokens');
    expect(optionText(option({ available: false, unavailableReason: 'No API key' }))).toBe('work/gpt-x · No API key');
    expect(optionText(option({ ref: 'local', label: 'qwen.gguf', group: 'Local', local: true }))).toBe('qwen.gguf · local');
    expect(optionText(option({ ref: 'auto', label: 'Automatic', group: 'Automatic' }))).toBe('Automatic');
  });

  it('groups picker entries in the order main lists them', () => {
    const groups = groupOptions([
      option({ ref: 'auto', group: 'Automatic' }),
      option({ ref: 'a/1', group: 'a' }),
      option({ ref: 'local', group: 'Local' }),
      option({ ref: 'a/2', group: 'a' })
    ]);
    expect(groups.map((group) => [group.name, group.options.map((o) => o.ref)])).toEqual([
      ['Automatic', ['auto']],
      ['a', ['a/1', 'a/2']],
      ['Local', ['local']]
    ]);
  });

  it('says until when a cooling-down provider is skipped', () => {
    expect(healthDetail({ state: 'ok', detail: null, until: null })).toBeNull();
    expect(healthDetail({ state: 'cooling-down', detail: 'HTTP 500', until: Date.now() + 60_000 })).toMatch(/^HTTP 500 Skipped until /);
  });
});
