// The conversation list: tabs, search as you type, more on scroll, and live unread dots.
import { debounce, parseFragment, postForm } from './http.js';
import { localizeTimes } from './time.js';
import { announce } from './announce.js';

const PAGE_SIZE = 25;
const MAX_PAGE = 100;

export function initConversationList(live) {
    const panel = document.querySelector('[data-list-panel]');
    if (!panel) {
        return;
    }
    const region = panel.querySelector('[data-list-region]');
    const scroller = panel.querySelector('[data-list-scroller]');
    const searchForm = panel.querySelector('[data-search-form]');
    const searchInput = panel.querySelector('[data-search-input]');
    const selected = document.querySelector('[data-thread]')?.dataset.conversationId ?? '';
    const state = {
        filter: panel.dataset.filter || 'all',
        query: searchInput?.value ?? '',
        loading: false,
    };
    let pending;

    // The list is posted: what was typed in the search box (often a patient's name) stays out of addresses.
    const listFields = ({ cursor, limit, filter = state.filter, query = state.query } = {}) => {
        const fields = { filter };
        if (query.trim()) fields.q = query.trim();
        if (cursor) fields.cursor = cursor;
        if (limit) fields.limit = String(limit);
        if (selected) fields.selected = selected;
        return fields;
    };
    const fetchList = (fields, options) => postForm(panel.dataset.listUrl, fields, options);

    async function reload({ keepCount = false, background = false } = {}) {
        pending?.abort();
        pending = new AbortController();
        const count = region.querySelectorAll('[data-conversation-id]').length;
        const limit = keepCount ? Math.min(MAX_PAGE, Math.max(PAGE_SIZE, count)) : PAGE_SIZE;
        const focusedId = document.activeElement?.closest('[data-conversation-id]')?.dataset.conversationId;
        // What this request asks for; the user may type on while it is on its way.
        const { filter, query } = state;
        panel.setAttribute('aria-busy', 'true');
        try {
            const response = await fetchList(listFields({ limit, filter, query }), { signal: pending.signal, background });
            if (!response.ok) {
                // Never the earlier results under a new search or tab: say that this one failed.
                const failed = document.createElement('p');
                failed.className = 'alert';
                failed.dataset.listError = '';
                failed.textContent = `The list could not be loaded (error ${response.status}). Try again.`;
                region.replaceChildren(failed);
                announce(failed.textContent);
                return;
            }
            region.replaceChildren(parseFragment(await response.text()));
            localizeTimes(region);
            observeFooter();
            if (focusedId) {
                region.querySelector(`[data-conversation-id="${focusedId}"] [data-conversation-link]`)?.focus();
            }
            panel.dataset.loadedQuery = query;
            panel.dataset.loadedFilter = filter;
            if (!keepCount) {
                const shown = region.querySelectorAll('[data-conversation-id]').length;
                const refused = region.querySelector('[data-search-error]')?.textContent;
                announce(refused ?? (shown === 0 ? 'No conversations found' : `${shown} conversations shown`));
            }
        } catch (error) {
            if (error.name !== 'AbortError') {
                panel.dataset.loadError = String(error);
            }
        } finally {
            panel.removeAttribute('aria-busy');
        }
    }

    async function loadMore() {
        const link = region.querySelector('[data-load-more]');
        const cursor = link?.dataset.nextCursor;
        if (!cursor || state.loading) {
            return;
        }
        state.loading = true;
        link.setAttribute('aria-disabled', 'true');
        try {
            const response = await fetchList(listFields({ cursor }));
            if (!response.ok) {
                return;
            }
            const fragment = parseFragment(await response.text());
            const list = region.querySelector('[data-conversation-list]');
            const known = new Set([...list.querySelectorAll('[data-conversation-id]')].map(item => item.dataset.conversationId));
            for (const item of fragment.querySelectorAll('[data-conversation-id]')) {
                if (!known.has(item.dataset.conversationId)) {
                    list.append(item);
                }
            }
            region.querySelector('[data-list-footer]').replaceWith(fragment.querySelector('[data-list-footer]'));
            localizeTimes(list);
            observeFooter();
        } finally {
            state.loading = false;
            link.removeAttribute('aria-disabled');
        }
    }

    // More as the user scrolls to the end; the button stays for keyboards and screen readers.
    let observer;
    function observeFooter() {
        observer?.disconnect();
        const footer = region.querySelector('[data-list-footer]:not([hidden])');
        if (!footer || !('IntersectionObserver' in window)) {
            return;
        }
        // The list scrolls in its own panel on wide screens and with the page on phones.
        const root = scroller.scrollHeight > scroller.clientHeight ? scroller : null;
        observer = new IntersectionObserver(entries => {
            if (entries.some(entry => entry.isIntersecting)) {
                loadMore();
            }
        }, { root, rootMargin: '120px' });
        observer.observe(footer);
    }

    region.addEventListener('click', event => {
        const more = event.target.closest('[data-load-more]');
        if (more) {
            event.preventDefault();
            loadMore();
        }
    });

    for (const tab of panel.querySelectorAll('[data-filter-tab]')) {
        tab.addEventListener('click', event => {
            if (event.ctrlKey || event.metaKey || event.shiftKey) {
                return;
            }
            event.preventDefault();
            state.filter = tab.dataset.filterTab;
            for (const other of panel.querySelectorAll('[data-filter-tab]')) {
                if (other === tab) other.setAttribute('aria-current', 'page');
                else other.removeAttribute('aria-current');
            }
            panel.dataset.filter = state.filter;
            const hidden = searchForm?.querySelector('[data-search-filter]');
            if (hidden) hidden.value = state.filter;
            else if (searchForm && state.filter !== 'all') {
                searchForm.insertAdjacentHTML('afterbegin', '<input type="hidden" name="filter" data-search-filter>');
                searchForm.querySelector('[data-search-filter]').value = state.filter;
            }
            // The tab is kept in the address; what was typed in the search box is not.
            const url = new URL(tab.href, window.location.href);
            url.searchParams.delete('q');
            history.replaceState(null, '', url.pathname + url.search);
            reload();
        });
    }

    if (searchInput) {
        const search = debounce(() => reload(), 250);
        searchInput.addEventListener('input', () => {
            state.query = searchInput.value;
            search();
        });
        searchForm.addEventListener('submit', event => {
            event.preventDefault();
            state.query = searchInput.value;
            reload();
        });
    }

    // Live: the dot follows the pushed count; the order and previews follow new messages. These
    // refreshes are background requests: they do not keep an unattended session alive.
    const refresh = debounce(() => reload({ keepCount: true, background: true }), 400);
    live.addEventListener('unreadChanged', event => {
        const { conversationId, conversationUnread } = event.detail ?? {};
        const item = conversationId && region.querySelector(`[data-conversation-id="${conversationId}"]`);
        if (item && typeof conversationUnread === 'number') {
            setUnread(item, conversationUnread);
        }
        if (state.filter !== 'all' || !item) {
            refresh();
        }
    });
    live.addEventListener('messageArrived', refresh);
    live.addEventListener('reconnected', refresh);

    observeFooter();
}

function setUnread(item, count) {
    const dot = item.querySelector('[data-unread-dot]');
    const value = Math.max(0, count);
    item.dataset.unread = String(value);
    if (dot) {
        dot.hidden = value === 0;
        const number = dot.querySelector('[data-unread-count]');
        if (number) number.textContent = String(value);
    }
}
