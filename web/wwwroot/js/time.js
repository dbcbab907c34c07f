// Times arrive as UTC instants in <time datetime>; people read them in their own time zone.

const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const withZone = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayAndMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

export function localizeTimes(root = document) {
    const now = new Date();
    for (const element of root.querySelectorAll('time[data-local-time]')) {
        const instant = new Date(element.getAttribute('datetime'));
        if (Number.isNaN(instant.getTime())) {
            continue;
        }
        if (element.dataset.localTime === 'relative') {
            element.textContent = sameDay(instant, now)
                ? timeOnly.format(instant)
                : instant.getFullYear() === now.getFullYear() ? dayAndMonth.format(instant) : dateOnly.format(instant);
        } else {
            element.textContent = full.format(instant);
        }
        element.title = withZone.format(instant);
        element.dataset.localized = 'true';
    }
}
