// A real OpenID provider (the npm package oidc-provider) for the sign-on tests.
//
// Started by tests/core/oidc/conftest.py on 127.0.0.1 and a free port:
//   node provider.mjs <port> <redirect_uri> <post_logout_redirect_uri>
// It prints "ready <issuer>" once it listens. Its pages are oidc-provider's own
// development pages: a login form (the test user's login and any password), then
// a consent screen.
//
// The tests of refused tokens tell it, through POST /test/next-id-token, how to
// spoil the next ID token it issues (a claim changed and signed again with its
// own published key, or the payload changed after signing): the app must then
// refuse a token that came, as any real one does, from the token endpoint.
import http from 'node:http';
import process from 'node:process';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const [port, redirectUri, postLogoutUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

export const USERS = {
  'lene.leder': {
    email: 'lene.leder@jobcenter.example',
    name: 'Lene Leder',
    groups: ['JC-Ledere', 'JC-Team-Nord'],
  },
  'mads.medarbejder': {
    email: 'mads.medarbejder@jobcenter.example',
    name: 'Mads Medarbejder',
    groups: ['JC-Team-Nord'],
  },
  'kim.koordinator': {
    email: 'kim.koordinator@jobcenter.example',
    name: 'Kim Koordinator',
    groups: ['JC-Kursusadmin'],
  },
  // Same e-mail as an existing account that is linked to someone else.
  'anden.person': {
    email: 'optaget@jobcenter.example',
    name: 'Anden Person',
    groups: [],
  },
};

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'kompetence',
      client_secret: 'test-secret-that-is-long-enough-for-hs256-0123456789',
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['cookie-key-for-the-test-provider-only'] },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: user.email,
          email_verified: true,
          name: user.name,
          groups: user.groups,
        };
      },
    };
  },
});

// The spoiling asked for by the test, used once.
let spoil = null;

async function spoilIdToken(idToken) {
  const payload = jose.decodeJwt(idToken);
  if (spoil.tamper) {
    // Change the payload, keep the old signature.
    const [head, , signature] = idToken.split('.');
    const changed = { ...payload, ...spoil.claims };
    const body = Buffer.from(JSON.stringify(changed)).toString('base64url');
    return `${head}.${body}.${signature}`;
  }
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...payload };
  for (const [name, value] of Object.entries(spoil.claims)) {
    // Numbers relative to now, so the test needs no clock of its own.
    claims[name] = name === 'exp' || name === 'iat' ? now + value : value;
  }
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid, typ: 'JWT' })
    .sign(privateKey);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/test/next-id-token' && ctx.method === 'POST') {
    let raw = '';
    for await (const chunk of ctx.req) raw += chunk;
    spoil = JSON.parse(raw);
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === '/token' && spoil && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await spoilIdToken(ctx.body.id_token) };
    spoil = null;
  }
});

const server = http.createServer(provider.callback());
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
