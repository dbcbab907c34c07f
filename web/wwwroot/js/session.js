// Warns shortly before the gateway ends an idle session, with "Stay signed in". The session's
// expiry comes from the gateway's /api/session; asking for it again counts as activity.
import { getJson, signInUrl } from './http.js';

const WARN_BEFORE_MS = 2 * 60 * 1000;

function expiryOf(session) {
    const candidates = [session?.idleExpiresAt, session?.expiresAt, session?.sessionExpiresAt, session?.expires, session?.absoluteExpiresAt];
    const times = candidates.map(value => Date.parse(value)).filter(value => !Number.isNaN(value));
    return times.length ? Math.min(...times) : null;
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
    let warnTimer;
    let tick;

    async function load() {
        try {
            const response = await getJson('/api/session');
            if (!response.ok) {
                return null;
            }
            return expiryOf(await response.json());
        } catch {
            return null;
        }
    }

    function schedule(expiry) {
        clearTimeout(warnTimer);
        clearInterval(tick);
        panel.hidden = true;
        expiresAt = expiry;
        if (!expiry) {
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
        schedule(await load());
        stay.disabled = false;
    });
    leave.addEventListener('click', () => document.querySelector('[data-signout-form]')?.requestSubmit());

    load().then(schedule);
}
