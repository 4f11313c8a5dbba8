// Test helper: a throwaway certificate authority and a server certificate it signed (for 127.0.0.1 and localhost),
// made with the openssl command line, so tests can run redis-server with TLS and clients can trust it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsTestCerts {
  /** The CA certificate (PEM): what a client must trust, e.g. through NODE_EXTRA_CA_CERTS. */
  caCert: string;
  serverCert: string;
  serverKey: string;
}

export const OPENSSL_NOT_FOUND_MESSAGE = 'openssl not found — install it (apt install openssl) to run the TLS tests';

// P-256 keys: generated in milliseconds, unlike RSA, and both redis-server and Node accept them.
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

const SERVER_EXTENSIONS = [
  'subjectAltName = IP:127.0.0.1, DNS:localhost',
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = serverAuth',
].join('\n');

function openssl(dir: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(OPENSSL_NOT_FOUND_MESSAGE);
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed (exit ${result.status}): ${result.stderr.trim()}`);
}

/** Writes ca.pem, ca.key, server.pem, server.key (valid for one day) into `dir`. */
export function makeTlsTestCerts(dir: string): TlsTestCerts {
  const file = (name: string) => join(dir, name);
  openssl(dir, [
    'req', '-x509', ...NEW_KEY, '-days', '1', '-subj', '/CN=BioXen throwaway test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', file('ca.key'), '-out', file('ca.pem'),
  ]);
  openssl(dir, ['req', '-new', ...NEW_KEY, '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr')]);
  writeFileSync(file('server.ext'), `${SERVER_EXTENSIONS}\n`);
  openssl(dir, [
    'x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '1', '-extfile', file('server.ext'), '-out', file('server.pem'),
  ]);
  return { caCert: file('ca.pem'), serverCert: file('server.pem'), serverKey: file('server.key') };
}

/** redis-server arguments that add a TLS listener on `port` with these certificates (clients need no certificate). */
export function redisTlsArgs(certs: TlsTestCerts, port: number): string[] {
  return [
    '--tls-port', String(port),
    '--tls-cert-file', certs.serverCert,
    '--tls-key-file', certs.serverKey,
    '--tls-ca-cert-file', certs.caCert,
    '--tls-auth-clients', 'no',
  ];
}
