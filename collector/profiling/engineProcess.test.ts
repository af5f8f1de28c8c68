import { describe, expect, it } from 'vitest';

import { CaptureError } from '../core/protocol/profileCapture.js';
import {
  listeningInodes,
  matchesFramework,
  resolveEngine,
  socketInode,
  type EngineProcFs,
} from './engineProcess.js';

/**
 * /proc/net/tcp as the kernel writes it (header and rows in the layout of
 * Documentation/networking/proc_net_tcp.txt, as read on this machine): port 8000 (1F40) listening
 * (0A) with inode 91234, an ESTABLISHED (01) connection to 8000 with inode 91300 (not a listener),
 * port 2024 (07E8) listening with inode 1601.
 */
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1601 1 00000000acf9220c 100 0 0 10 0
   1: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 91234 1 0000000091471cbe 100 0 0 10 0
   2: 0100007F:1F40 0100007F:ECBC 01 00000000:00000000 03:00000308 00000000  1000        0 91300 3 0000000091471cbe 20 4 0 10 -1
`;
/** tcp6: port 30000 (7530) listening on :: with inode 77001. */
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:7530 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 77001 1 00000000f00d 100 0 0 10 0
`;

interface FakeProcess {
  ppid: number;
  cmdline: string[];
  exe?: string;
  fds?: Record<string, string>;
  /** fd directory unreadable (another user's process). */
  hidden?: boolean;
}

function fakeProc(procs: Record<number, FakeProcess>, tcp = TCP, tcp6 = TCP6): EngineProcFs {
  const missing = (path: string) =>
    Promise.reject(Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' }));
  const at = (path: string) => {
    const m = /^\/proc\/(\d+)\/(.*)$/.exec(path);
    return m ? { proc: procs[Number(m[1])], rest: m[2]! } : undefined;
  };
  return {
    readFile: (path) => {
      if (path === '/proc/net/tcp') return Promise.resolve(tcp);
      if (path === '/proc/net/tcp6') return Promise.resolve(tcp6);
      const hit = at(path);
      if (!hit?.proc) return missing(path);
      if (hit.rest === 'status')
        return Promise.resolve(`Name:\tx\nState:\tS (sleeping)\nPPid:\t${hit.proc.ppid}\n`);
      if (hit.rest === 'cmdline') return Promise.resolve(`${hit.proc.cmdline.join('\0')}\0`);
      return missing(path);
    },
    readLink: (path) => {
      const hit = at(path);
      if (!hit?.proc) return missing(path);
      if (hit.rest === 'exe') return hit.proc.exe ? Promise.resolve(hit.proc.exe) : missing(path);
      const fd = /^fd\/(\d+)$/.exec(hit.rest)?.[1];
      const link = fd === undefined ? undefined : hit.proc.fds?.[fd];
      return link === undefined ? missing(path) : Promise.resolve(link);
    },
    readDir: (path) => {
      if (path === '/proc') return Promise.resolve(['self', ...Object.keys(procs), 'net']);
      const hit = at(path);
      if (!hit?.proc || hit.rest !== 'fd') return missing(path);
      if (hit.proc.hidden)
        return Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }));
      return Promise.resolve(Object.keys(hit.proc.fds ?? {}));
    },
  };
}

const PY = '/usr/bin/python3.12';

describe('/proc/net/tcp parsing', () => {
  it('finds the LISTEN inode of a port and not an established connection on it', () => {
    expect(listeningInodes(TCP, 8000)).toEqual([91234]);
    expect(listeningInodes(TCP, 2024)).toEqual([1601]);
    expect(listeningInodes(TCP, 9999)).toEqual([]);
    expect(listeningInodes(TCP6, 30000)).toEqual([77001]);
  });

  it('reads socket inodes from fd links only', () => {
    expect(socketInode('socket:[91234]')).toBe(91234);
    expect(socketInode('pipe:[91234]')).toBeUndefined();
    expect(socketInode('/dev/null')).toBeUndefined();
  });
});

describe('framework command lines', () => {
  it.each([
    ['vllm', [PY, '/usr/local/bin/vllm', 'serve', 'meta-llama/Llama-3-70B'], true],
    ['vllm', ['python3', '-m', 'vllm.entrypoints.openai.api_server', '--port', '8000'], true],
    ['vllm', ['VLLM::EngineCore'], true],
    ['vllm', ['python3', '-m', 'pip', 'install', 'vllm'], false],
    ['sglang', ['python3', '-m', 'sglang.launch_server', '--model-path', 'x'], true],
    ['sglang', [PY, '/usr/local/bin/vllm', 'serve', 'x'], false],
    ['tgi', ['text-generation-launcher', '--model-id', 'x'], true],
    ['tgi', ['/opt/conda/bin/python', '/opt/conda/bin/text-generation-server', 'serve'], true],
    ['trtllm', ['trtllm-serve', 'serve', 'x'], true],
    ['lmdeploy', ['lmdeploy', 'serve', 'api_server', 'x'], true],
    ['llamacpp', ['/usr/bin/llama-server', '-m', 'x.gguf'], true],
    ['myengine', ['python3', '-m', 'myengine.server'], true],
    ['myengine', ['python3', '-m', 'notmyengine2'], false],
  ])('%s matches %j: %s', (framework, cmdline, expected) => {
    expect(matchesFramework(framework, cmdline)).toBe(expected);
  });
});

describe('resolveEngine', () => {
  /** A vLLM server (pid 200, fd 7 is the listening socket) with its EngineCore child (201). */
  const VLLM_TREE: Record<number, FakeProcess> = {
    1: { ppid: 0, cmdline: ['/sbin/init'] },
    150: { ppid: 1, cmdline: ['sshd'], fds: { '3': 'socket:[1601]' } },
    200: {
      ppid: 1,
      cmdline: [PY, '/usr/local/bin/vllm', 'serve', 'llama-70b', '--port', '8000'],
      exe: PY,
      fds: { '0': '/dev/null', '7': 'socket:[91234]', '8': 'pipe:[5]' },
    },
    201: {
      ppid: 200,
      cmdline: [PY, '-c', 'from multiprocessing.spawn import spawn_main', '--multiprocessing-fork'],
      exe: PY,
      fds: { '7': 'socket:[91234]' },
    },
    300: { ppid: 1, cmdline: ['python3', '-m', 'sglang.launch_server'], exe: PY },
  };

  it('by port: the topmost process holding the listening socket, not its child', async () => {
    const found = await resolveEngine(
      { framework: 'vllm', port: 8000 },
      'n1',
      fakeProc(VLLM_TREE),
      9,
    );
    expect(found).toEqual({ pid: 200, how: 'listening on TCP port 8000', warnings: [] });
  });

  it('by port on tcp6', async () => {
    const procs = { ...VLLM_TREE, 300: { ...VLLM_TREE[300]!, fds: { '4': 'socket:[77001]' } } };
    const found = await resolveEngine(
      { framework: 'sglang', port: 30000 },
      'n1',
      fakeProc(procs),
      9,
    );
    expect(found.pid).toBe(300);
  });

  it('a listener that is not the framework is used, with a warning saying so', async () => {
    const found = await resolveEngine(
      { framework: 'vllm', port: 2024 },
      'n1',
      fakeProc(VLLM_TREE),
      9,
    );
    expect(found.pid).toBe(150);
    expect(found.warnings).toEqual([
      'pid 150 listens on port 2024 but its command line (sshd) does not name vllm',
    ]);
  });

  it('without a port: the command line, topmost of the tree', async () => {
    const found = await resolveEngine({ framework: 'vllm' }, 'n1', fakeProc(VLLM_TREE), 9);
    expect(found.pid).toBe(200);
    expect(found.how).toMatch(/^its command line names vllm \(/);
  });

  it('a port nothing listens on falls back to the command line and says so', async () => {
    const found = await resolveEngine(
      { framework: 'sglang', port: 31000 },
      'n1',
      fakeProc(VLLM_TREE),
      9,
    );
    expect(found.pid).toBe(300);
    expect(found.warnings).toEqual([
      'nothing listens on TCP port 31000 here; found by command line instead',
    ]);
  });

  it('the agent itself is never a candidate', async () => {
    const procs = { 50: { ppid: 1, cmdline: ['node', 'osprey', 'serve', '--vllm'] } };
    await expect(resolveEngine({ framework: 'vllm' }, 'n1', fakeProc(procs), 50)).rejects.toThrow(
      /no vllm engine process found/,
    );
  });

  it('several separate engines: the lowest pid, the others named', async () => {
    const procs = {
      ...VLLM_TREE,
      400: { ppid: 1, cmdline: [PY, '/usr/local/bin/vllm', 'serve', 'other'], exe: PY },
    };
    const found = await resolveEngine({ framework: 'vllm' }, 'n1', fakeProc(procs), 9);
    expect(found.pid).toBe(200);
    expect(found.warnings).toEqual([
      '2 vllm processes on n1 (pids 200, 400): profiled pid 200; name the port to choose',
    ]);
  });

  it('nothing found: no-process, saying what was looked for', async () => {
    const error = (await resolveEngine(
      { framework: 'vllm', port: 8001 },
      'gpu-7',
      fakeProc({ 1: { ppid: 0, cmdline: ['/sbin/init'] } }),
      9,
    ).catch((e: unknown) => e)) as CaptureError;
    expect(error).toBeInstanceOf(CaptureError);
    expect(error.kind).toBe('no-process');
    expect(error.message).toBe(
      'no vllm on port 8001 engine process found on gpu-7: looked for a process listening on ' +
        'TCP port 8001 or a process whose command line names vllm (`vllm serve`, `vllm.entrypoints`)',
    );
  });

  it("a listener whose owner's fds cannot be read: permission, with the fix", async () => {
    const procs = { 200: { ...VLLM_TREE[200]!, cmdline: ['engine'], hidden: true } };
    const error = (await resolveEngine(
      { framework: 'vllm', port: 8000 },
      'n1',
      fakeProc(procs),
      9,
    ).catch((e: unknown) => e)) as CaptureError;
    expect(error.kind).toBe('permission');
    expect(error.message).toContain('run the agent as root or with CAP_SYS_PTRACE');
  });
});
