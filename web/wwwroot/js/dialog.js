// The New Message dialog: a modal <dialog> (Escape closes it, the page behind is inert) whose
// form comes from the server, with a searchable picker of the user's care-team patients and
// the server's validation messages beside the fields.
import { debounce, getHtml, postForm } from './http.js';
import { initCharacterCounts } from './charcount.js';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function initNewMessageDialog() {
    const dialog = document.querySelector('[data-new-message-dialog]');
    const openers = document.querySelectorAll('[data-new-message]');
    if (!dialog || openers.length === 0) {
        return;
    }
    const content = dialog.querySelector('[data-dialog-content]');
    const title = content.querySelector('h2');
    let opener = null;

    async function open(event) {
        event.preventDefault();
        opener = event.currentTarget;
        dialog.showModal();
        dialog.dataset.state = 'loading';
        try {
            const response = await getHtml('/conversations/new?handler=Form');
            if (!response.ok) {
                showLoadError(`The form could not be loaded (error ${response.status}).`);
                return;
            }
            setForm(await response.text());
            dialog.dataset.state = 'ready';
            firstField()?.focus();
        } catch {
            showLoadError('The form could not be loaded: the server could not be reached.');
        }
    }

    function showLoadError(text) {
        content.replaceChildren(title);
        const alert = document.createElement('p');
        alert.className = 'alert';
        alert.setAttribute('role', 'alert');
        alert.textContent = text;
        const close = document.createElement('button');
        close.type = 'button';
        close.className = 'button';
        close.dataset.dialogClose = '';
        close.textContent = 'Close';
        content.append(alert, close);
        close.focus();
        dialog.dataset.state = 'error';
    }

    function setForm(html) {
        const template = document.createElement('template');
        template.innerHTML = html;
        content.replaceChildren(title, template.content);
        initCharacterCounts(content);
        wireForm(content.querySelector('[data-new-message-form]'));
    }

    function firstField() {
        return content.querySelector('[aria-invalid="true"]')
            ?? content.querySelector('[data-patient-search]')
            ?? content.querySelector('input[type="text"], textarea');
    }

    function wireForm(form) {
        if (!form) {
            return;
        }
        const search = form.querySelector('[data-patient-search]');
        const select = form.querySelector('[data-patient-select]');
        const searchError = form.querySelector('[data-patient-search-error]');
        if (search && select) {
            let pending;
            const filter = debounce(async () => {
                pending?.abort();
                pending = new AbortController();
                const chosen = select.value;
                try {
                    const response = await postForm('/conversations/new?handler=Patients', { q: search.value.trim() }, { signal: pending.signal });
                    if (response.status === 400) {
                        // Too long a search: the server's sentence, and no earlier matches to choose from by mistake.
                        searchError.textContent = await response.text();
                        search.setAttribute('aria-invalid', 'true');
                        select.replaceChildren();
                        select.dataset.query = search.value.trim();
                        return;
                    }
                    if (!response.ok) {
                        return;
                    }
                    searchError.textContent = '';
                    search.removeAttribute('aria-invalid');
                    const template = document.createElement('template');
                    template.innerHTML = `<select>${await response.text()}</select>`;
                    select.replaceChildren(...template.content.querySelector('select').children);
                    if (chosen && [...select.options].some(option => option.value === chosen)) {
                        select.value = chosen;
                    } else if (select.options.length === 1) {
                        select.selectedIndex = 0;
                    }
                    select.dataset.query = search.value.trim();
                } catch {
                    // Keep the options shown until the next keystroke.
                }
            }, 200);
            search.addEventListener('input', filter);
            search.addEventListener('keydown', event => {
                if (event.key === 'ArrowDown' && select.options.length > 0) {
                    event.preventDefault();
                    if (select.selectedIndex < 0) select.selectedIndex = 0;
                    select.focus();
                } else if (event.key === 'Enter') {
                    event.preventDefault();
                }
            });
        }

        form.addEventListener('submit', async event => {
            event.preventDefault();
            const submit = form.querySelector('[data-send-new-message]');
            submit.disabled = true;
            form.setAttribute('aria-busy', 'true');
            try {
                const response = await postForm(form.action, new FormData(form));
                if (response.ok) {
                    const { url } = await response.json();
                    dialog.dataset.state = 'sent';
                    window.location.assign(url);
                    return;
                }
                if (response.status === 400) {
                    // The form again, with the messages beside the fields and the text as typed.
                    setForm(await response.text());
                    firstField()?.focus();
                    return;
                }
                showFormError(form, `The conversation was not started (error ${response.status}). Try again.`);
            } catch {
                showFormError(form, 'The conversation was not started: the server could not be reached. Try again.');
            } finally {
                submit.disabled = false;
                form.removeAttribute('aria-busy');
            }
        });
    }

    function showFormError(form, text) {
        let alert = form.querySelector('[data-form-error]');
        if (!alert) {
            alert = document.createElement('p');
            alert.className = 'alert';
            alert.setAttribute('role', 'alert');
            alert.dataset.formError = '';
            form.prepend(alert);
        }
        alert.textContent = text;
    }

    for (const button of openers) {
        button.addEventListener('click', open);
    }

    dialog.addEventListener('click', event => {
        if (event.target.closest('[data-dialog-close]')) {
            event.preventDefault();
            dialog.close();
        }
    });

    // Tab and Shift+Tab go round the dialog's own controls.
    dialog.addEventListener('keydown', event => {
        if (event.key !== 'Tab') {
            return;
        }
        const focusable = [...dialog.querySelectorAll(FOCUSABLE)].filter(element => element.offsetParent !== null);
        if (focusable.length === 0) {
            return;
        }
        const first = focusable[0];
        const last = focusable[focusable.length - 1];
        if (event.shiftKey && document.activeElement === first) {
            event.preventDefault();
            last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
            event.preventDefault();
            first.focus();
        }
    });

    dialog.addEventListener('close', () => {
        dialog.dataset.state = 'closed';
        opener?.focus();
    });
}
