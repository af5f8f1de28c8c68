import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { errorCodes, parseBoard, parseEcc, parseHealth } from './npuHealth.js';
import { npuHealthSignals, type NpuChipRead } from './npuHealthSignals.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const DOC_910 = fixture(
  'mind-cluster-docs_npu_info_before_example_910-8card_23.0.5_info_health_ecc_board_usages.txt',
);
const ENV_910A = fixture('npu_info_before_910A_npu-smi-m_hccn_tool.txt');
const ALARM = fixture('derived__910-23.0.5__health-alarm-80E24E00.txt');
const ECC_ERRORS = fixture('derived__910-23.0.5__ecc-hbm-errors.txt');

/** The output recorded under one command line of a capture bundle, up to the next command. */
function section(bundle: string, command: string, occurrence = 0): string {
  const lines = bundle.split('\n');
  let start = -1;
  for (let n = 0; n <= occurrence; n++) start = lines.indexOf(command, start + 1);
  if (start < 0) throw new Error(`no "${command}" in the fixture`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('/usr/local/') || l.startsWith('lspci'));
  return rest.slice(0, end < 0 ? undefined : end).join('\n');
}

const HEALTH_CMD = '/usr/local/bin/npu-smi info -i 0 -c 0 -t health';

describe('npu-smi slow checks on real outputs', () => {
  it('910 23.0.5 `-t health`: OK, Error Code NA → no codes (both blocks, the second space-indented)', () => {
    for (const occurrence of [0, 1]) {
      const [chip, ...more] = parseHealth(section(DOC_910, HEALTH_CMD, occurrence));
      expect(more).toEqual([]);
      expect(chip!.health?.value).toBe('OK');
      expect(chip!.codes).toEqual([]);
      expect(chip!.codeLine?.raw).toBe('Error Code                     : NA');
      expect(chip!.infoLine).toBeUndefined();
    }
  });

  it('910A `-t health` (tab-indented): OK, no codes', () => {
    const [chip] = parseHealth(section(ENV_910A, HEALTH_CMD));
    expect(chip!.health?.value).toBe('OK');
    expect(chip!.codes).toEqual([]);
  });

  it('910 23.0.5 `-t ecc`: twelve DDR/HBM counters, all 0, chip 0', () => {
    const chips = parseEcc(section(DOC_910, '/usr/local/bin/npu-smi info -i 0 -t ecc'));
    expect(chips).toHaveLength(1);
    expect(chips[0]!.chipId).toBe(0);
    expect(chips[0]!.counts.map((c) => c.code)).toEqual([
      'ddr.single-bit',
      'ddr.double-bit',
      'ddr.single-bit.aggregate',
      'ddr.double-bit.aggregate',
      'ddr.single-bit.isolated-pages',
      'ddr.double-bit.isolated-pages',
      'hbm.single-bit',
      'hbm.double-bit',
      'hbm.single-bit.aggregate',
      'hbm.double-bit.aggregate',
      'hbm.single-bit.isolated-pages',
      'hbm.double-bit.isolated-pages',
    ]);
    expect(chips[0]!.counts.every((c) => c.v === 0)).toBe(true);
  });

  it('910 23.0.5 and 910A `-t board`: software 23.0.5, firmware 7.1.0.7.220, Compatibility OK', () => {
    const board = parseBoard(section(DOC_910, '/usr/local/bin/npu-smi info -i 0 -t board'));
    expect(board.software).toBe('23.0.5');
    expect(board.firmware).toBe('7.1.0.7.220');
    expect(board.compatibility?.value).toBe('OK');
    const a = parseBoard(section(ENV_910A, '/usr/local/bin/npu-smi info -i 0 -t board'));
    expect(a.compatibility?.value).toBe('OK');
  });

  it('error codes: NA is none; 8 hex digits with or without 0x become 0x + upper case', () => {
    expect(errorCodes('NA')).toEqual([]);
    expect(errorCodes('80E24E00')).toEqual(['0x80E24E00']);
    expect(errorCodes('0x80e18005, 80C98008')).toEqual(['0x80E18005', '0x80C98008']);
    expect(errorCodes('weird')).toEqual(['weird']);
  });
});

describe('npuHealthSignals', () => {
  const T = 1_700_000_000_000;
  const read = (text: { health?: string; ecc?: string }, t = T): NpuChipRead => {
    const r: NpuChipRead = { device: 'ascend:0:0', npuId: 0, chip: 0, pci: '0000:61:00', t };
    if (text.health !== undefined) r.health = parseHealth(text.health)[0]!;
    if (text.ecc !== undefined) r.ecc = parseEcc(text.ecc)[0]!;
    return r;
  };
  const healthy = {
    health: section(DOC_910, HEALTH_CMD),
    ecc: section(DOC_910, '/usr/local/bin/npu-smi info -i 0 -t ecc'),
  };

  it('a healthy chip read twice: no signal', () => {
    expect(npuHealthSignals(read(healthy), undefined)).toEqual([]);
    expect(npuHealthSignals(read(healthy, T + 60_000), read(healthy))).toEqual([]);
  });

  it('OK → Alarm with 80E24E00: an npu-health signal (level 2) and an npu-fault 0x80E24E00, with the printed lines', () => {
    const signals = npuHealthSignals(read({ health: ALARM }, T + 60_000), read(healthy));
    expect(signals).toEqual([
      {
        kind: 'npu-health',
        code: 'health',
        value: 2,
        detail: { health: 'Alarm', chip: 0, previous: 'OK' },
        ts: T + 60_000,
        device: 'ascend:0:0',
        pci: '0000:61:00',
        evidence: [
          {
            ts: T + 60_000,
            source: 'npu-smi',
            text:
              'NPU 0 chip 0 (npu-smi info -t health -i 0): Health Status                  : Alarm; ' +
              'Error Code                     : 80E24E00',
          },
        ],
      },
      {
        kind: 'npu-fault',
        code: '0x80E24E00',
        detail: { chip: 0, health: 'Alarm' },
        ts: T + 60_000,
        device: 'ascend:0:0',
        pci: '0000:61:00',
        evidence: [
          {
            ts: T + 60_000,
            source: 'npu-smi',
            text: 'NPU 0 chip 0 (npu-smi info -t health -i 0): Error Code                     : 80E24E00',
          },
        ],
      },
    ]);
  });

  it('the same code on the next read is not repeated; back to OK is an npu-health signal valued 0', () => {
    const alarm = read({ health: ALARM });
    expect(npuHealthSignals(read({ health: ALARM }, T + 60_000), alarm)).toEqual([]);
    const back = npuHealthSignals(read(healthy, T + 120_000), alarm);
    expect(back).toMatchObject([
      {
        kind: 'npu-health',
        code: 'health',
        value: 0,
        ok: true,
        detail: { health: 'OK', previous: 'Alarm' },
      },
    ]);
  });

  it('HBM counts 0 → 5 single-bit and 0 → 2 double-bit: two ecc signals with the deltas', () => {
    const signals = npuHealthSignals(read({ ecc: ECC_ERRORS }, T + 60_000), read(healthy));
    expect(signals.map((s) => [s.kind, s.code, s.value, s.detail])).toEqual([
      ['ecc', 'hbm.single-bit', 5, { previous: 0, delta: 5 }],
      ['ecc', 'hbm.double-bit', 2, { previous: 0, delta: 2 }],
    ]);
    expect(signals[1]!.evidence[0]!.text).toBe(
      'NPU 0 chip 0 (npu-smi info -t ecc -i 0): HBM Double Bit Error Count               : 2',
    );
  });
});
