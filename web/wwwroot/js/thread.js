// The open conversation: scrolled to the latest message, new ones fetched when the hub says so
// (as server-rendered HTML, so every body is encoded), read state kept, and the composer.
import { debounce, getHtml, newClientMessageId, parseFragment, postForm } from './http.js';
import { localizeTimes } from './time.js';
import { announce } from './announce.js';

const NEAR_BOTTOM_PX = 48;

export function initThread(live) {
    const thread = document.querySelector('[data-thread]');
    if (!thread) {
        return;
    }
    const conversationId = thread.dataset.conversationId;
    const scroller = thread.querySelector('[data-message-scroller]');
    const list = thread.querySelector('[data-messages]');
    const marker = thread.querySelector('[data-new-messages-marker]');
    let readUpTo = lastMessage()?.dataset.messageId;
    let unseen = false;

    function lastMessage() {
        const items = list.querySelectorAll('[data-message-id]');
        return items[items.length - 1];
    }

    function lastSequence() {
        return Number(lastMessage()?.dataset.sequence ?? thread.dataset.lastSequence ?? 0);
    }

    function atBottom() {
        return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= NEAR_BOTTOM_PX;
    }

    function scrollToLatest() {
        scroller.scrollTop = scroller.scrollHeight;
        marker.hidden = true;
        unseen = false;
    }

    async function markRead({ background = false } = {}) {
        const latest = lastMessage();
        if (!latest || latest.dataset.messageId === readUpTo || document.visibilityState === 'hidden') {
            return;
        }
        const upTo = latest.dataset.messageId;
        try {
            const response = await postForm(thread.dataset.readUrl, { upToMessageId: upTo }, { background });
            if (response.ok) {
                readUpTo = upTo;
            }
        } catch {
            // Read state catches up the next time the conversation is opened.
        }
    }

    /** Adds messages the list does not have yet; answers how many were new. */
    function append(fragment) {
        const known = new Set([...list.querySelectorAll('[data-message-id]')].map(item => item.dataset.messageId));
        const added = [];
        for (const item of fragment.querySelectorAll('[data-message-id]')) {
            if (!known.has(item.dataset.messageId)) {
                list.append(item);
                added.push(item);
            }
        }
        localizeTimes(list);
        thread.dataset.lastSequence = String(lastSequence());
        return added;
    }

    // Set off by a push, not by the user: background requests. The web app answers the messages
    // after the last one shown, a page at a time; a full page names where the next one starts
    // (X-Later-After), so a burst larger than a page arrives whole.
    async function fetchNewer() {
        const wasAtBottom = atBottom();
        const added = [];
        let after = lastSequence();
        try {
            for (;;) {
                const response = await getHtml(`${thread.dataset.messagesUrl}&after=${after}`, undefined, { background: true });
                if (!response.ok) {
                    break;
                }
                added.push(...append(parseFragment(await response.text())));
                const next = Number(response.headers.get('X-Later-After'));
                // The last page, or one that brought the thread no further.
                if (!next || next <= after) {
                    break;
                }
                after = next;
            }
        } catch {
            // What arrived is shown; the next push or reconnection fetches the rest.
        }
        const fromOthers = added.filter(item => !item.classList.contains('message--mine'));
        if (fromOthers.length === 0) {
            return;
        }
        const sender = fromOthers[fromOthers.length - 1].querySelector('.message__sender')?.textContent ?? 'someone';
        announce(fromOthers.length === 1 ? `New message from ${sender}` : `${fromOthers.length} new messages`);
        if (wasAtBottom) {
            scrollToLatest();
            markRead({ background: true });
        } else {
            unseen = true;
            marker.hidden = false;
        }
    }

    // One fetch at a time, so that pages are appended in order.
    let newer = Promise.resolve();
    const fetchNewerSoon = debounce(() => { newer = newer.then(fetchNewer, fetchNewer); }, 100);
    live.addEventListener('messageArrived', event => {
        if (event.detail?.conversationId === conversationId && Number(event.detail.sequence ?? Infinity) > lastSequence()) {
            fetchNewerSoon();
        }
    });
    live.addEventListener('reconnected', fetchNewerSoon);

    scroller.addEventListener('scroll', () => {
        if (unseen && atBottom()) {
            marker.hidden = true;
            unseen = false;
            markRead();
        }
    }, { passive: true });
    marker.addEventListener('click', () => {
        scrollToLatest();
        markRead();
        thread.querySelector('[data-composer-body]')?.focus();
    });
    document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible' && atBottom()) {
            markRead();
        }
    });

    // History, a page at a time, keeping the reader's place.
    thread.addEventListener('click', async event => {
        const button = event.target.closest('[data-load-earlier]');
        if (!button) {
            return;
        }
        button.disabled = true;
        try {
            const response = await getHtml(`${thread.dataset.messagesUrl}&before=${button.dataset.before}`);
            if (!response.ok) {
                return;
            }
            const previousHeight = scroller.scrollHeight;
            const fragment = parseFragment(await response.text());
            const known = new Set([...list.querySelectorAll('[data-message-id]')].map(item => item.dataset.messageId));
            const earlier = [...fragment.querySelectorAll('[data-message-id]')].filter(item => !known.has(item.dataset.messageId));
            list.prepend(...earlier);
            localizeTimes(list);
            scroller.scrollTop += scroller.scrollHeight - previousHeight;
            const next = response.headers.get('X-Earlier-Before');
            if (next) {
                button.dataset.before = next;
            } else {
                button.closest('.load-earlier').remove();
            }
        } finally {
            button.disabled = false;
        }
    });

    initComposer(thread, {
        onSent(fragment) {
            append(fragment);
            scrollToLatest();
            readUpTo = lastMessage()?.dataset.messageId;
        },
    });

    scrollToLatest();
    thread.dataset.ready = 'true';
}

function initComposer(thread, { onSent }) {
    const form = thread.querySelector('[data-composer]');
    if (!form) {
        return;
    }
    const body = form.querySelector('[data-composer-body]');
    const send = form.querySelector('[data-composer-send]');
    const error = form.querySelector('[data-composer-error]');
    const clientMessageId = form.querySelector('[data-client-message-id]');
    let sending = false;

    const showError = text => {
        error.textContent = text;
        error.hidden = false;
        body.setAttribute('aria-invalid', 'true');
        body.setAttribute('aria-describedby', 'composer-hint composer-count composer-error');
        error.id = 'composer-error';
    };
    const clearError = () => {
        error.hidden = true;
        error.textContent = '';
        body.removeAttribute('aria-invalid');
        body.setAttribute('aria-describedby', 'composer-hint composer-count');
    };

    body.addEventListener('keydown', event => {
        // Enter sends; Shift+Enter (or an input method composing text) adds a line.
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            form.requestSubmit();
        }
    });

    form.addEventListener('submit', async event => {
        event.preventDefault();
        if (sending) {
            return;
        }
        if (!body.value.trim()) {
            showError('Write a message before sending.');
            body.focus();
            return;
        }
        sending = true;
        send.disabled = true;
        form.setAttribute('aria-busy', 'true');
        try {
            const response = await postForm(form.dataset.sendUrl || form.action, new FormData(form));
            if (response.ok) {
                onSent(parseFragment(await response.text()));
                body.value = '';
                body.dispatchEvent(new Event('input'));
                // The next message is a new one; a retry of a failed one keeps its id.
                clientMessageId.value = newClientMessageId();
                clearError();
            } else {
                const text = response.headers.get('Content-Type')?.startsWith('text/plain') ? await response.text() : '';
                showError(text || `The message was not sent (error ${response.status}). Your text is still here; try again.`);
            }
        } catch {
            showError('The message was not sent: the server could not be reached. Your text is still here; try again.');
        } finally {
            sending = false;
            send.disabled = false;
            form.removeAttribute('aria-busy');
            body.focus();
        }
    });
}
