// The page's live parts, added on top of server-rendered HTML that works without them.
import { localizeTimes } from './time.js';
import { connectNotifications, initStatsCards, initUnreadBadge } from './live.js';
import { initConversationList } from './list.js';
import { initThread } from './thread.js';
import { initNewMessageDialog } from './dialog.js';
import { initSessionWarning } from './session.js';
import { initCharacterCounts } from './charcount.js';

localizeTimes(document);
initCharacterCounts(document);

const role = document.body.dataset.role;
if (role === 'staff' || role === 'patient') {
    const live = connectNotifications();
    initUnreadBadge(live);
    initStatsCards(live);
    initConversationList(live);
    initThread(live);
    initNewMessageDialog();
}
if (role !== 'anonymous') {
    initSessionWarning();
}
document.body.dataset.scripts = 'ready';
