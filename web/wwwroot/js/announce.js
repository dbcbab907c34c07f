// Polite announcements for screen readers (new messages, list updates).

let timer;

export function announce(text) {
    const region = document.querySelector('[data-announcer]');
    if (!region) {
        return;
    }
    // Clearing first makes a repeated sentence be read again.
    region.textContent = '';
    clearTimeout(timer);
    timer = setTimeout(() => { region.textContent = text; }, 100);
}
