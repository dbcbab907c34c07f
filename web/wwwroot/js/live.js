// The live connection to the Notification service's hub, through the gateway. Pushes carry
// ids and counts only; the page fetches what it shows from the web app, rendered on the server.
import { debounce, gatewayCsrfToken, getHtml, parseFragment, sessionInfo } from './http.js';
import { localizeTimes } from './time.js';

export function connectNotifications() {
    const events = new EventTarget();
    const signalR = window.signalR;
    if (!signalR) {
        return events;
    }

    // Negotiation is a POST to /hubs/**, which the gateway accepts only with its anti-forgery token.
    const headers = {};
    const connection = new signalR.HubConnectionBuilder()
        .withUrl('/hubs/notifications', { headers })
        .withAutomaticReconnect([0, 2000, 5000, 10000, 30000])
        .configureLogging(signalR.LogLevel.Warning)
        .build();

    const emit = (type, detail) => events.dispatchEvent(new CustomEvent(type, { detail }));
    // Handlers return nothing: a returned value would answer a client-result call the hub never made.
    connection.on('unreadChanged', payload => { emit('unreadChanged', payload); });
    connection.on('messageArrived', payload => { emit('messageArrived', payload); });
    // The service's counters were rebuilt (after Redis lost them): read everything again, as after a reconnection.
    connection.on('countersRebuilt', () => { emit('reconnected'); });
    connection.onreconnecting(() => { document.body.dataset.live = 'reconnecting'; });
    connection.onreconnected(() => {
        document.body.dataset.live = 'connected';
        emit('reconnected');
    });
    connection.onclose(() => {
        document.body.dataset.live = 'disconnected';
        setTimeout(start, 5000);
    });

    async function start() {
        if (connection.state !== signalR.HubConnectionState.Disconnected) {
            return;
        }
        document.body.dataset.live = 'connecting';
        try {
            const token = (await sessionInfo())?.csrfToken || gatewayCsrfToken();
            if (token) {
                headers['X-CSRF-TOKEN'] = token;
            }
            await connection.start();
            document.body.dataset.live = 'connected';
            emit('reconnected');
        } catch {
            document.body.dataset.live = 'disconnected';
            setTimeout(start, 5000);
        }
    }

    window.addEventListener('pagehide', () => connection.stop());
    start();
    return events;
}

/**
 * Asks the web app for a fragment again after a push and puts it in place of the element it
 * renders; answers the new element, or null when the server did not answer with one. Set off by
 * a push, not by the user: a background request.
 */
async function refreshFragment(element, url, selector) {
    const response = await getHtml(url, undefined, { background: true });
    if (!response.ok) {
        return null;
    }
    const fresh = parseFragment(await response.text()).querySelector(selector);
    if (!fresh || !element.isConnected) {
        return null;
    }
    element.replaceWith(fresh);
    return fresh;
}

/** The sidebar's unread badge: the pushed total, and the web app's badge whenever the connection (re)starts. */
export function initUnreadBadge(live) {
    let badge = document.querySelector('[data-unread-badge]');
    if (!badge) {
        return;
    }
    const show = total => {
        const value = Math.max(0, Number(total) || 0);
        badge.textContent = String(value);
        badge.setAttribute('aria-label', `${value} unread`);
        badge.hidden = value === 0;
        badge.dataset.total = String(value);
    };
    live.addEventListener('unreadChanged', event => show(event.detail?.total));
    live.addEventListener('reconnected', async () => {
        try {
            const fresh = await refreshFragment(badge, badge.dataset.unreadUrl, '[data-unread-badge]');
            if (fresh) {
                badge = fresh;
                badge.dataset.total = badge.textContent.trim();
            }
        } catch {
            // The badge keeps its last value until the next push.
        }
    });
}

/** The four dashboard cards, rendered again by the web app from the Stats service after every push. */
export function initStatsCards(live) {
    let cards = document.querySelector('[data-stats]');
    if (!cards) {
        return;
    }
    const refresh = async () => {
        try {
            const fresh = await refreshFragment(cards, cards.dataset.statsUrl, '[data-stats]');
            if (fresh) {
                cards = fresh;
                localizeTimes(cards);
                cards.dataset.refreshed = String(Date.now());
            }
        } catch {
            // Figures stay as they were; the next push tries again.
        }
    };
    // The Stats service follows the same events as the pushes, a moment later: look twice.
    const soon = debounce(refresh, 400);
    const later = debounce(refresh, 2500);
    const both = () => { soon(); later(); };
    live.addEventListener('unreadChanged', both);
    live.addEventListener('messageArrived', both);
    live.addEventListener('reconnected', soon);
}
