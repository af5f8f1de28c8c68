/**
 * Keep-alive agents, one per trust setting: a range view fires a dozen queries at once, and a
 * fresh TLS handshake for each costs ~2 round trips (tens of ms to a remote Prometheus). Idle
 * sockets are unref'd by Node's agent, so they never hold the process open.
 */
import http from 'node:http';
import https from 'node:https';

/** 16 parallel queries per server is plenty for one console; Prometheus serves 20 by default. */
const MAX_SOCKETS = 16;

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
const httpsAgents = new Map<string, https.Agent>();

/** The agent for `protocol`; `ca` (PEM) replaces the system roots for that connection. */
export function agentFor(protocol: string, ca: string | undefined): http.Agent {
  if (protocol === 'http:') return httpAgent;
  const key = ca ?? '';
  let agent = httpsAgents.get(key);
  if (!agent) {
    agent = new https.Agent({
      keepAlive: true,
      maxSockets: MAX_SOCKETS,
      ...(ca === undefined ? {} : { ca }),
    });
    // Settings edited many times in one session would otherwise pile up agents.
    if (httpsAgents.size >= 32) {
      const [oldest] = httpsAgents.keys();
      httpsAgents.get(oldest!)?.destroy();
      httpsAgents.delete(oldest!);
    }
    httpsAgents.set(key, agent);
  }
  return agent;
}
