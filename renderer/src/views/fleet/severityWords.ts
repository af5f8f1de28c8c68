/** Severity in words, for the fleet's tooltips, drawer and events. */
import type { Severity } from '../../../../collector/core/protocol/spec.js';

const WORDS: Record<Severity, string> = {
  critical: 'Critical',
  error: 'Error',
  warning: 'Warning',
  info: 'Info',
};

export function severityLabel(s: Severity): string {
  return WORDS[s];
}
