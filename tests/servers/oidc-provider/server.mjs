// The OpenID Certified provider (panva/oidc-provider) the launcher's tests sign in at.
//
// Usage: node server.mjs [--config FILE] [--port N]   (or OIDC_TEST_CONFIG / OIDC_TEST_PORT)
// Listens on 127.0.0.1 (port 0 = a free one) and prints one JSON line on stdout once it is ready:
//   {"issuer": "http://127.0.0.1:PORT", "port": PORT}
//
// Enabled: devInteractions (any user name signs in), RFC 7009 revocation, RFC 7662 introspection,
// RFC 8628 device flow, RFC 8707 resource indicators (JWT access tokens, RFC 9068, one audience
// each), RFC 7591 dynamic client registration, RP-initiated logout, refresh-token rotation.
//
// Test-only endpoints under /_test/ (answered only to loopback peers):
//   POST /_test/resources   {"<resource>": {"scope": "a b", "accessTokenTTL": 3600}, ...}  register
//   POST /_test/rotate-keys {"keep_old": true, "jwk": <private JWK, optional>} -> {"kid": ...}
//   GET  /_test/stats       {"grants": {"refresh_token": n, ...}, "paths": {"/jwks": n, ...}}
//   POST /_test/config      {"ttl": {...}} (changes TTLs for providers built from now on)
//                           {"device": {"interval": 1, "slowDown": true}} (see below; at once)
//
// Configuration (JSON file, every key optional):
//   {"port": 0, "issuer": "...", "accounts": {"zhangwei": {"name": "张伟"}},
//    "clients": [<extra client metadata>], "ttl": {"AccessToken": 3600, "IdToken": 3600, ...},
//    "resources": {...as above}, "autoConsent": true, "jwks": {"keys": [<private JWKs>]},
//    "cookiePrefix": "op", "device": {"interval": 0, "slowDown": false}}
//
// Device flow knobs (oidc-provider itself sends no interval and never says slow_down):
// "interval" > 0 is put in device authorization answers; "slowDown" answers the first poll of
// each device code with slow_down, and, as RFC 8628 §3.5 asks of a server, any later poll sooner
// than the code's interval (raised by 5 s at each slow_down) too. stats.slowDowns counts them.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';
// The package's own in-memory adapter on one unbounded store shared by every Provider this process
// builds (key rotation and /_test/config build a new one): by default each Provider gets a store of
// its own, an LRU of 1,000 entries that a long test run would overflow, evicting registered clients
// and live grants.
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

class ExpiringMap {
  #entries = new Map();

  get(key) {
    const entry = this.#entries.get(key);
    if (entry && entry.expiry !== undefined && entry.expiry <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry?.value;
  }

  set(key, value, { maxAge } = {}) {
    const expiry = Number.isFinite(maxAge) ? Date.now() + maxAge : undefined;
    this.#entries.set(key, { value, expiry });
    return this;
  }

  has(key) {
    return this.get(key) !== undefined;
  }

  delete(key) {
    return this.#entries.delete(key);
  }

  clear() {
    this.#entries.clear();
  }
}

const store = new ExpiringMap();

function argument(name) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const configFile = argument('config') ?? process.env.OIDC_TEST_CONFIG;
const settings = configFile ? JSON.parse(fs.readFileSync(configFile, 'utf8')) : {};
const requestedPort = Number(argument('port') ?? process.env.OIDC_TEST_PORT ?? settings.port ?? 0);

const LAUNCHER_CLIENT = {
  client_id: 'launcher',
  client_name: '一端通',
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  // Native clients may use any port on a loopback redirect URI (RFC 8252 §7.3).
  redirect_uris: ['http://127.0.0.1/callback'],
  post_logout_redirect_uris: ['http://127.0.0.1/logged-out'],
  grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
  response_types: ['code'],
};

const accounts = settings.accounts ?? {};
const resources = new Map(Object.entries(settings.resources ?? {}));
const ttl = {
  AccessToken: 3600,
  AuthorizationCode: 600,
  DeviceCode: 600,
  Grant: 14 * 24 * 3600,
  IdToken: 3600,
  Interaction: 3600,
  RefreshToken: 14 * 24 * 3600,
  Session: 14 * 24 * 3600,
  ...(settings.ttl ?? {}),
};
const cookieKeys = [crypto.randomBytes(32).toString('base64url')];
const stats = { grants: {}, paths: {}, slowDowns: 0 };
const device = { interval: 0, slowDown: false, ...(settings.device ?? {}) };
const devicePolls = new Map(); // device_code -> { last: ms, interval: s }

function newSigningKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: 'jwk' }), kid: `op-${crypto.randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256',
  };
}

let signingKeys = settings.jwks?.keys ?? [newSigningKey()];

function withTTL(value) {
  // A TTL in seconds; for access tokens a resource's own TTL wins (see getResourceServerInfo).
  return (_ctx, token) => token?.resourceServer?.accessTokenTTL ?? value;
}

function policy() {
  const base = interactionPolicy.base();
  if (settings.autoConsent !== false) {
    // Native clients are shown the consent page on every sign-in by default; first-party clients
    // of a county need none (loadExistingGrant below grants what they ask for).
    base.get('consent').checks.remove('native_client_prompt');
  }
  return base;
}

async function loadExistingGrant(ctx) {
  const { oidc } = ctx;
  const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
  let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (settings.autoConsent === false) return grant;
  grant ??= new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
  const scopes = [...oidc.requestParamOIDCScopes];
  if (scopes.length) grant.addOIDCScope(scopes.join(' '));
  const claims = [...oidc.requestParamClaims];
  if (claims.length) grant.addOIDCClaims(claims);
  for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
    const wanted = [...oidc.requestParamScopes].filter((s) => server.scopes.has(s));
    if (wanted.length) grant.addResourceScope(indicator, wanted.join(' '));
  }
  await grant.save();
  return grant;
}

function buildProvider(issuer) {
  const cookiePrefix = settings.cookiePrefix ?? `op${new URL(issuer).port}`;
  const provider = new Provider(issuer, {
    adapter: (model) => new MemoryAdapter(model, store),
    clients: [LAUNCHER_CLIENT, ...(settings.clients ?? [])],
    jwks: { keys: signingKeys },
    cookies: {
      // Every test server shares the host 127.0.0.1 and cookies ignore ports: unique names.
      names: {
        session: `${cookiePrefix}_session`,
        interaction: `${cookiePrefix}_interaction`,
        resume: `${cookiePrefix}_interaction_resume`,
      },
      keys: cookieKeys,
    },
    async findAccount(_ctx, sub) {
      const account = accounts[sub] ?? {};
      return {
        accountId: sub,
        async claims() {
          return { sub, name: account.name ?? sub, preferred_username: sub };
        },
      };
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    scopes: ['openid', 'offline_access', 'profile'],
    // Profile claims in the id_token of the code flow too (the launcher shows the user's name).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    rotateRefreshToken: true,
    // No refresh-token policy of our own: oidc-provider's defaults keep offline_access only when
    // the authorization request also says prompt=consent (OpenID Connect Core §11), which the
    // launcher sends, and issue a refresh token only for a grant holding offline_access.
    loadExistingGrant,
    interactions: { policy: policy() },
    ttl: {
      ...ttl,
      AccessToken: withTTL(ttl.AccessToken),
    },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      registration: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // The authorization request names every platform; each access token is for the one
        // resource its token request names (none: an access token for /userinfo only).
        defaultResource: async () => undefined,
        useGrantedResource: async () => false,
        async getResourceServerInfo(_ctx, resource) {
          const info = resources.get(resource);
          if (!info) throw new Provider.errors.InvalidTarget(`unknown resource ${resource}`);
          return {
            scope: info.scope,
            audience: resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: info.accessTokenTTL ?? ttl.AccessToken,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      const text = Object.entries(out).map(([k, v]) => `<p>${k}: ${String(v).replace(/[<>&"]/g, '')}</p>`).join('');
      ctx.body = `<!DOCTYPE html><title>oidc-provider error</title><h1>oops! something went wrong</h1>${text}`;
    },
  });
  provider.on('grant.success', (ctx) => {
    const type = ctx.oidc.params.grant_type;
    stats.grants[type] = (stats.grants[type] ?? 0) + 1;
  });
  provider.on('device_authorization.success', (_ctx, body) => {
    if (device.interval > 0) body.interval = device.interval;
  });
  provider.on('server_error', (_ctx, err) => console.error('server_error', err));
  for (const event of ['grant.error', 'authorization.error', 'revocation.error', 'end_session.error']) {
    provider.on(event, (_ctx, err) => console.error(event, err.error, err.error_description, err.error_detail ?? ''));
  }
  return provider;
}

let handler;
let issuer;

function isLoopback(address) {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function admin(req, res, path) {
  if (!isLoopback(req.socket.remoteAddress)) return send(res, 403, { error: 'loopback only' });
  if (path === '/_test/stats' && req.method === 'GET') return send(res, 200, stats);
  if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
  const body = await readJson(req);
  if (path === '/_test/resources') {
    for (const [resource, info] of Object.entries(body)) resources.set(resource, info);
    return send(res, 200, { resources: Object.fromEntries(resources) });
  }
  if (path === '/_test/rotate-keys') {
    // The new key signs from now on; the old ones stay published (unless keep_old is false) so
    // tokens already issued still verify. Stored grants, sessions and tokens live in the memory
    // adapter, which every Provider instance of this process shares.
    const key = body.jwk ?? newSigningKey();
    signingKeys = body.keep_old === false ? [key] : [key, ...signingKeys];
    handler = buildProvider(issuer).callback();
    return send(res, 200, { kid: key.kid });
  }
  if (path === '/_test/config') {
    Object.assign(device, body.device ?? {}); // read on each request: no new provider needed
    if (body.ttl) {
      Object.assign(ttl, body.ttl);
      handler = buildProvider(issuer).callback();
    }
    return send(res, 200, { ttl, device });
  }
  return send(res, 404, { error: 'unknown test endpoint' });
}

// The slowDown knob: a device-code poll that comes too soon gets slow_down (RFC 8628 §3.5).
async function devicePoll(req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  req.body = text; // oidc-provider reads an already-read body from req.body
  const params = new URLSearchParams(text);
  const code = params.get('device_code');
  if (params.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:device_code' || !code) {
    return false;
  }
  const now = Date.now();
  const seen = devicePolls.get(code);
  const tooSoon = !seen || now - seen.last < seen.interval * 1000 - 200;
  const interval = (seen?.interval ?? (device.interval || 5)) + (tooSoon ? 5 : 0);
  devicePolls.set(code, { last: now, interval });
  if (!tooSoon) return false;
  stats.slowDowns += 1;
  send(res, 400, { error: 'slow_down', error_description: `poll at most every ${interval} s` });
  return true;
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  stats.paths[path] = (stats.paths[path] ?? 0) + 1;
  if (path.startsWith('/_test/')) {
    admin(req, res, path).catch((err) => send(res, 400, { error: String(err) }));
    return;
  }
  if (device.slowDown && req.method === 'POST' && path === '/token') {
    devicePoll(req, res)
      .then((answered) => answered || handler(req, res))
      .catch((err) => send(res, 400, { error: 'invalid_request', error_description: String(err) }));
    return;
  }
  handler(req, res);
});

server.listen(requestedPort, '127.0.0.1', () => {
  const { port } = server.address();
  issuer = settings.issuer ?? `http://127.0.0.1:${port}`;
  handler = buildProvider(issuer).callback();
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
