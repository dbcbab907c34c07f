// What is left of a text box's limit (data-char-limit), counted as the server stores the text: a
// line break is one character, as in the box's value. Past the limit the text is kept whole and the
// count becomes a warning; the server refuses the send and says why. Screen readers hear the count
// once the user pauses, not at every key.
import { debounce } from './http.js';

function counterOf(box) {
    return (box.closest('.field') ?? box.form)?.querySelector('[data-char-count-for]');
}

function countText(limit, length) {
    const left = limit - length;
    if (left >= 0) {
        return `${left} ${left === 1 ? 'character' : 'characters'} left`;
    }
    return `${-left} ${left === -1 ? 'character' : 'characters'} too many`;
}

/** Shows the count; answers the counter, or nothing for a box without one. */
function show(box) {
    const counter = counterOf(box);
    if (counter) {
        const limit = Number(box.dataset.charLimit);
        counter.querySelector('[data-char-count]').textContent = countText(limit, box.value.length);
        counter.classList.toggle('char-count--over', box.value.length > limit);
    }
    return counter;
}

const speak = new WeakMap();

function update(box) {
    const counter = show(box);
    if (!counter) {
        return;
    }
    if (!speak.has(box)) {
        speak.set(box, debounce(() => {
            counter.querySelector('[data-char-count-live]').textContent = countText(Number(box.dataset.charLimit), box.value.length);
        }, 1000));
    }
    speak.get(box)();
}

export function initCharacterCounts(root = document) {
    root.querySelectorAll('[data-char-limit]').forEach(show);
}

// Delegated, so that forms added later (the New Message dialog) are counted too.
document.addEventListener('input', event => {
    if (event.target instanceof HTMLTextAreaElement && event.target.dataset.charLimit) {
        update(event.target);
    }
});
