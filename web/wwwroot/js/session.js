// Warns shortly before the gateway ends an idle session, with "Stay signed in". The session's
// expiry comes from the gateway's /api/session; every request the user makes slides it, and
// asking for the session again (Stay signed in) does too. The page's background refreshes do not.
import { gatewayCsrfToken, sessionInfo, signInUrl } from './http.js';

const WARN_BEFORE_MS = 2 * 60 * 1000;

function parse(value) {
    const time = Date.parse(value);
    return Number.isNaN(time) ? null : time;
}

export function initSessionWarning() {
    const panel = document.querySelector('[data-session-warning]');
    if (!panel) {
        return;
    }
    const countdown = panel.querySelector('[data-session-countdown]');
    const stay = panel.querySelector('[data-session-stay]');
    const leave = panel.querySelector('[data-session-leave]');
    let expiresAt = null;
    let idleWindow = null;
    let absoluteExpiry = null;
    let warnTimer;
    let tick;

    /** Reads the session; answers when it ends if nothing else happens. */
    async function load(refresh = false) {
        const session = await sessionInfo({ refresh });
        if (!session) {
            return null;
        }
        const idle = parse(session.idleExpiresAt);
        absoluteExpiry = parse(session.absoluteExpiresAt);
        idleWindow = idle === null ? null : idle - session.askedAt;
        if (session.csrfToken) {
            document.querySelector('[data-signout-token]')?.setAttribute('value', session.csrfToken);
        }
        return [idle, absoluteExpiry].filter(time => time !== null).reduce((a, b) => Math.min(a, b), Infinity);
    }

    function schedule(expiry) {
        clearTimeout(warnTimer);
        clearInterval(tick);
        panel.hidden = true;
        expiresAt = expiry;
        if (!expiry || expiry === Infinity) {
            return;
        }
        panel.dataset.expiresAt = new Date(expiry).toISOString();
        warnTimer = setTimeout(warn, Math.max(0, expiry - Date.now() - WARN_BEFORE_MS));
    }

    function warn() {
        panel.hidden = false;
        stay.focus();
        const update = () => {
            const left = Math.max(0, expiresAt - Date.now());
            const minutes = Math.floor(left / 60000);
            const seconds = Math.floor((left % 60000) / 1000);
            countdown.textContent = `${minutes}:${String(seconds).padStart(2, '0')}`;
            if (left <= 0) {
                clearInterval(tick);
                window.location.assign(signInUrl());
            }
        };
        update();
        tick = setInterval(update, 1000);
    }

    stay.addEventListener('click', async () => {
        stay.disabled = true;
        schedule(await load(true));
        stay.disabled = false;
    });
    leave.addEventListener('click', () => document.querySelector('[data-signout-form]')?.requestSubmit());

    // What the user does (open a conversation, search, send) keeps the session alive on the gateway;
    // refreshes set off by pushes do not.
    document.addEventListener('cm:server-contact', event => {
        if (idleWindow === null || event.detail.status === 401 || event.detail.background || !panel.hidden) {
            return;
        }
        const slid = Math.min(event.detail.at + idleWindow, absoluteExpiry ?? Infinity);
        if (expiresAt === null || slid > expiresAt + 1000) {
            schedule(slid);
        }
    });

    // Signing out is a state change at the gateway: it needs the gateway's token, not the web app's.
    const signOut = document.querySelector('[data-signout-form]');
    signOut?.addEventListener('submit', async event => {
        const token = signOut.querySelector('[data-signout-token]');
        if (token.value) {
            return;
        }
        event.preventDefault();
        await load(true);
        token.value ||= gatewayCsrfToken();
        signOut.submit();
    });

    load().then(schedule);
}
