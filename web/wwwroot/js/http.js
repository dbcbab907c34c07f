// Requests from the page's scripts. Everything the page shows comes from the web app, as
// server-rendered fragments posted or fetched with the web app's anti-forgery token; the gateway
// itself is asked only for the session (/api/session), the hub (/hubs) and sign-out
// (docs/decisions/0046). Every request says it comes from a script, so the server answers with a
// status code instead of a page or a redirect; a lost session sends the browser to sign in again.

export const FETCH_HEADER = 'X-CareMessaging-Fetch';

// Requests the page makes on its own (after a push, on reconnecting) are marked, and the gateway
// does not count them as the user's activity: an unattended page still reaches its idle sign-out.
export const BACKGROUND_HEADER = 'X-CareMessaging-Background';

function activityHeaders(background) {
    return background ? { [BACKGROUND_HEADER]: '1' } : {};
}

export function signInUrl() {
    const returnUrl = window.location.pathname + window.location.search;
    return `${document.body.dataset.signinUrl || '/signin'}?returnUrl=${encodeURIComponent(returnUrl)}`;
}

export function antiforgeryToken() {
    return document.querySelector('meta[name="cm-antiforgery"]')?.content
        ?? document.querySelector('input[name="__RequestVerificationToken"]')?.value
        ?? '';
}

/** The gateway's own anti-forgery token (from GET /api/session, mirrored in the XSRF-TOKEN cookie), for the hub's negotiation and /signout. */
export function gatewayCsrfToken() {
    const cookie = document.cookie.split('; ').find(entry => entry.startsWith('XSRF-TOKEN='));
    return cookie ? decodeURIComponent(cookie.slice('XSRF-TOKEN='.length)) : '';
}

let session;

/**
 * The gateway's view of the session (GET /api/session): who is signed in, when the session ends,
 * and the gateway's anti-forgery token. Asked once per page; ask again with refresh.
 */
export function sessionInfo({ refresh = false } = {}) {
    if (!session || refresh) {
        const asked = Date.now();
        session = getJson('/api/session')
            .then(response => (response.ok ? response.json() : null))
            .then(body => (body ? { ...body, askedAt: asked } : null))
            .catch(() => null);
    }
    return session;
}

async function send(url, options, background) {
    const sentAt = Date.now();
    const response = await fetch(url, { credentials: 'same-origin', ...options });
    // Unless it was a background request, the gateway slid the idle timeout when it received it.
    document.dispatchEvent(new CustomEvent('cm:server-contact', { detail: { at: sentAt, status: response.status, background } }));
    if (response.status === 401) {
        window.location.assign(signInUrl());
        throw new Error('Signed out');
    }
    return response;
}

export function getHtml(url, signal, { background = false } = {}) {
    return send(url, { headers: { [FETCH_HEADER]: '1', Accept: 'text/html', ...activityHeaders(background) }, signal }, background);
}

export function getJson(url, signal, { background = false } = {}) {
    return send(url, { headers: { [FETCH_HEADER]: '1', Accept: 'application/json', ...activityHeaders(background) }, signal }, background);
}

/** Posts a form (or fields) to the web app, with Razor's anti-forgery token. */
export function postForm(url, body, { background = false, signal } = {}) {
    const data = body instanceof FormData ? body : new FormData();
    if (!(body instanceof FormData) && body) {
        for (const [key, value] of Object.entries(body)) {
            data.append(key, value);
        }
    }
    return send(url, {
        method: 'POST',
        body: data,
        headers: {
            [FETCH_HEADER]: '1',
            Accept: 'text/html, application/json',
            RequestVerificationToken: antiforgeryToken(),
            ...activityHeaders(background),
        },
        signal,
    }, background);
}

/** Parses server-rendered HTML (already encoded by Razor) into nodes without running anything. */
export function parseFragment(html) {
    const template = document.createElement('template');
    template.innerHTML = html;
    return template.content;
}

export function debounce(action, delay) {
    let timer;
    return (...args) => {
        clearTimeout(timer);
        timer = setTimeout(() => action(...args), delay);
    };
}

export function newClientMessageId() {
    if (window.crypto?.randomUUID) {
        return window.crypto.randomUUID();
    }
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
