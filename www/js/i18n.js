// The page's words in English and Chinese. The locale comes from the browser
// language unless the reader picked one; `t(key, values)` fills {placeholders}.

const STRINGS = {
  en: {
    skipToContent: 'Skip to content',
    searchLabel: 'Search articles',
    searchPlaceholder: 'Search  ( / )',
    tools: 'Tools',
    addArticles: 'Add articles',
    settings: 'Settings',
    shortcuts: 'Keyboard shortcuts',
    articles: 'Articles',
    filters: 'Filters',
    category: 'Category',
    source: 'Source',
    year: 'Year',
    dateRange: 'Date range',
    from: 'From',
    to: 'To',
    all: 'All ({count})',
    unreadOnly: 'Unread only ({count})',
    starredOnly: 'Starred only ({count})',
    unreadOnlyUncounted: 'Unread only',
    starredOnlyUncounted: 'Starred only',
    clearFilters: 'Clear filters',
    clearSearchAndFilters: 'Clear search and filters',
    sortBy: 'Sort',
    sortNewest: 'Newest',
    sortOldest: 'Oldest',
    sortTitle: 'Title',
    sortRelevance: 'Relevance',
    resultCount: { one: '{count} article', other: '{count} articles' },
    resultCountOf: { one: '{count} of {total} article', other: '{count} of {total} articles' },
    noArticles: 'No articles yet. Add some with “Add articles”, or drop files here.',
    noArticlesExtension: 'No articles yet. Save a web page with the Lectern button in the toolbar (or Alt+Shift+S, or “Save this page to Lectern” in the page’s menu), or add article files with “Add articles”.',
    noMatch: 'No articles match “{query}”.',
    noMatchFilters: 'No articles match these filters.',
    noMatchBoth: 'No articles match “{query}” with these filters.',
    articleTools: 'Article',
    backToList: 'All articles',
    previous: 'Previous',
    next: 'Next',
    star: 'Star',
    unstar: 'Unstar',
    markRead: 'Mark read',
    markUnread: 'Mark unread',
    removeArticle: 'Remove',
    confirmRemove: 'Remove “{title}” from your reading list? It was added in this browser; it cannot be brought back except by adding it again.',
    removed: 'Removed “{title}”.',
    smallerText: 'Smaller text',
    largerText: 'Larger text',
    openOriginal: 'Open original',
    contents: 'Contents',
    moreArticles: 'More articles',
    previousArticle: '← {title}',
    nextArticle: '{title} →',
    close: 'Close',
    addIntro: 'Article files (Markdown or HTML with front matter) and feed files (RSS, Atom, JSON Feed) stay in this browser; nothing is uploaded.',
    chooseFiles: 'Choose files…',
    chooseFolder: 'Choose a folder…',
    dropHint: 'Or drop files and folders anywhere on the page.',
    byUrl: 'An article file by its address',
    fetch: 'Fetch',
    theme: 'Theme',
    themeSystem: 'Follow the system',
    themeLight: 'Light',
    themeDark: 'Dark',
    themeSepia: 'Sepia',
    language: 'Language',
    languageAuto: 'Browser language',
    readingList: 'Your reading list',
    exportIntro: 'Read and starred marks, reading positions and the articles you added, as one file.',
    export: 'Export…',
    import: 'Import…',
    dropHere: 'Drop article files or folders to add them',
    unread: 'Unread',
    starred: 'Starred',
    minutes: '{count} min read',
    filterByCategory: 'Show only “{category}”',
    loading: 'Loading…',
    downloading: 'Downloading {done} of {total}…',
    reading: 'Reading {done} of {total}…',
    importing: 'Importing {done} of {total}…',
    loaded: { one: '{count} article', other: '{count} articles' },
    loadedWithFailures: { one: '{count} article · {failed} could not be read', other: '{count} articles · {failed} could not be read' },
    collectionFailed: 'Could not load the collection: {error}',
    offlineCollection: 'Offline: showing the collection saved on this device.',
    imported: { one: 'Added {count} article.', other: 'Added {count} articles.' },
    importFailures: { one: '{count} file could not be added:', other: '{count} files could not be added:' },
    noArticleFiles: 'No article files found (Markdown, HTML or text files).',
    dismiss: 'Dismiss',
    fetchRefused: 'Could not fetch {url}: the server refused, or does not let other sites read its files (CORS). Download the file and add it with “Choose files…”.',
    fetchHttp: 'Could not fetch {url}: the server answered {status}.',
    fetchBadUrl: 'That is not a web address: {url}',
    storageFull: 'Storage is full: {what} could not be saved. Everything saved before is kept; free some space or export your reading list.',
    storageError: 'Could not save {what}: {error}. Everything saved before is kept.',
    storageUnavailable: 'This browser does not let the page store anything (private mode?): marks and added articles last only until the tab closes.',
    whatMarks: 'your marks',
    whatArticles: { one: '{count} added article', other: '{count} added articles' },
    whatSettings: 'the settings',
    exported: 'Exported your reading list ({marks} marks, {articles} added articles).',
    importedList: 'Imported the reading list: {marks} marks, {articles} added articles.',
    importListFailed: 'Could not import {name}: {error}',
    notReadingList: 'it is not a Lectern reading list',
    newerReadingList: 'it was made by a newer Lectern (format version {version}; this page reads version {supported})',
    badJson: 'it is not valid JSON ({error})',
    notFound: 'There is no article {id} here. It may have been removed, or it was added in another browser.',
    articleBodyFailed: 'This article cannot be shown: {error}',
    keyNext: 'Next article',
    keyPrevious: 'Previous article',
    keyOpen: 'Open the selected article',
    keyBack: 'Back to the list; clear the search',
    keyStar: 'Star / unstar',
    keyRead: 'Mark read / unread',
    keySearch: 'Search',
    keyHelp: 'Show these shortcuts',
    updated: 'Lectern was updated; reload to use the new version.',
    widgetLabel: 'Reading list',
    widgetWaiting: 'The articles load when this comes into view.',
    widgetLoading: 'Loading articles…',
    widgetSearch: 'Search',
    widgetEmpty: 'This collection has no articles.',
    pageRange: '{from}–{to} of {total}',
    pages: 'Pages',
    previousPage: 'Previous page',
    nextPage: 'Next page',
    categoryFilter: 'Category: {category}',
    clearCategory: 'Show all categories',
    tryAgain: 'Try again',
    widgetNoSrc: 'No collection to show: set the src attribute to the address of a Lectern collection.',
    widgetNoCollection: 'There is no Lectern collection at {src} (it has no collection/manifest.json).',
    widgetUnreachable: 'Could not reach {src}: the server is down, or it does not let this page read it (CORS), or this page’s Content-Security-Policy does not allow it (connect-src).',
    widgetFailed: 'Could not load the articles from {src}: {error}',
    widgetFilesFailed: '{failed} of {total} article files could not be read.',
    widgetArticleFailed: 'Could not open “{title}”: {error}',
    savedPage: 'Saved to Lectern: {title}',
    saveFailed: 'Lectern did not save this page: {error}',
    cannotReadPage: 'Lectern cannot read this page (browser pages, extension stores and files it has no access to are off limits).',
    openReadingList: 'Open the reading list',
    openSidePanel: 'Open the reading list in the side panel',
    savePage: 'Save this page to Lectern',
    savedArticles: { one: 'Saved {count} page', other: 'Saved {count} pages' },
    sync: 'Sync',
    syncIntro: 'Keep read marks, stars, reading positions and the articles you added the same on every device, through a CouchDB server you choose (Apache CouchDB, IBM Cloudant, PouchDB Server).',
    syncServer: 'Server',
    syncDatabase: 'Database',
    syncUser: 'User name',
    syncPassword: 'Password',
    syncRemember: 'Remember the password in this browser',
    syncTurnOn: 'Turn sync on',
    syncTurnOff: 'Turn sync off',
    syncNow: 'Sync now',
    syncOff: 'Sync is off',
    syncState_connecting: 'Connecting…',
    syncState_syncing: 'Syncing…',
    syncState_synced: 'Synced',
    syncState_live: 'Syncing live',
    syncState_retrying: 'Waiting for the server',
    syncState_error: 'Sync stopped',
    syncState_off: 'Sync is off',
    syncLast: 'last sync {when}',
    syncProblem: '{error}',
    syncIgnored: { one: '{count} document in the database is not Lectern’s and was ignored', other: '{count} documents in the database are not Lectern’s and were ignored' },
    syncFailed: 'Sync: {error}. Nothing here was changed.',
    syncStarted: 'Sync is on with {host}.',
    syncDone: 'Synced.',
    syncNeedsPassword: 'Sync is on, but the password is not kept in this browser: enter it and turn sync on.',
    feeds: 'Feeds',
    feedsIntro: 'Lectern fetches the feeds you subscribe to in the background; new items appear in the list, unread.',
    feedsPageIntro: 'Feed files you added (RSS, Atom, JSON Feed) name their feeds; export them as an OPML list for a feed reader.',
    feedUrl: 'Feed address, or the address of a page that names its feed',
    subscribe: 'Subscribe',
    unsubscribe: 'Unsubscribe',
    refreshFeeds: 'Refresh now',
    exportOpml: 'Export OPML…',
    importOpml: 'Import OPML…',
    refreshEvery: 'Refresh every',
    everyMinutes: '{count} minutes',
    everyHours: { one: '{count} hour', other: '{count} hours' },
    noSubscriptions: 'No subscriptions yet.',
    feedItems: { one: '{count} item', other: '{count} items' },
    feedNeverFetched: 'not fetched yet',
    feedFetched: 'fetched {when}',
    feedError: 'last fetch failed: {error}',
    subscribed: 'Subscribed to {title}',
    subscribeFailed: 'Could not subscribe to {url}: {error}',
    feedPermissionRefused: 'Lectern was not allowed to read {host}, so it cannot fetch this feed.',
    feedsRefreshed: 'Feeds refreshed: {added} new, {updated} updated, {failed} failed',
    opmlImported: 'Subscribed to {added} of the {listed} feeds in the list',
    noFeedsKnown: 'No feeds yet: add a feed file first.',
    opmlExported: { one: 'Exported {count} feed', other: 'Exported {count} feeds' },
    noFeedOnPage: 'This page names no feed (no RSS, Atom or JSON Feed link).',
    subscribeToPage: 'Subscribe to this page’s feed in Lectern',
    feedFailed: 'Could not read the feed {name}: {error}',
  },
  zh: {
    skipToContent: '跳到正文',
    searchLabel: '搜索文章',
    searchPlaceholder: '搜索（/）',
    tools: '工具',
    addArticles: '添加文章',
    settings: '设置',
    shortcuts: '键盘快捷键',
    articles: '文章',
    filters: '筛选',
    category: '分类',
    source: '来源',
    year: '年份',
    dateRange: '日期范围',
    from: '起',
    to: '止',
    all: '全部（{count}）',
    unreadOnly: '只看未读（{count}）',
    starredOnly: '只看星标（{count}）',
    unreadOnlyUncounted: '只看未读',
    starredOnlyUncounted: '只看星标',
    clearFilters: '清除筛选',
    clearSearchAndFilters: '清除搜索和筛选',
    sortBy: '排序',
    sortNewest: '最新',
    sortOldest: '最早',
    sortTitle: '标题',
    sortRelevance: '相关度',
    resultCount: '{count} 篇文章',
    resultCountOf: '{count} / {total} 篇文章',
    noArticles: '还没有文章。点“添加文章”，或把文件拖到这里。',
    noArticlesExtension: '还没有文章。点工具栏上的 Lectern 按钮（或按 Alt+Shift+S，或在页面右键菜单选“把这个页面保存到 Lectern”）保存网页，或点“添加文章”添加文章文件。',
    noMatch: '没有文章匹配“{query}”。',
    noMatchFilters: '没有文章符合这些筛选条件。',
    noMatchBoth: '在这些筛选条件下，没有文章匹配“{query}”。',
    articleTools: '文章',
    backToList: '全部文章',
    previous: '上一篇',
    next: '下一篇',
    star: '加星标',
    unstar: '取消星标',
    markRead: '标为已读',
    markUnread: '标为未读',
    removeArticle: '移除',
    confirmRemove: '要把“{title}”从阅读列表中移除吗？它是在这个浏览器里添加的；移除后只能重新添加。',
    removed: '已移除“{title}”。',
    smallerText: '缩小文字',
    largerText: '放大文字',
    openOriginal: '打开原文',
    contents: '目录',
    moreArticles: '更多文章',
    previousArticle: '← {title}',
    nextArticle: '{title} →',
    close: '关闭',
    addIntro: '文章文件（带前置元数据的 Markdown 或 HTML）和订阅源文件（RSS、Atom、JSON Feed）只保存在这个浏览器里，不会上传。',
    chooseFiles: '选择文件…',
    chooseFolder: '选择文件夹…',
    dropHint: '也可以把文件和文件夹拖到页面上。',
    byUrl: '按地址获取文章文件',
    fetch: '获取',
    theme: '主题',
    themeSystem: '跟随系统',
    themeLight: '浅色',
    themeDark: '深色',
    themeSepia: '护眼（棕褐）',
    language: '语言',
    languageAuto: '浏览器语言',
    readingList: '你的阅读列表',
    exportIntro: '已读和星标、阅读位置以及你添加的文章，导出为一个文件。',
    export: '导出…',
    import: '导入…',
    dropHere: '松开即可添加文章文件或文件夹',
    unread: '未读',
    starred: '星标',
    minutes: '{count} 分钟读完',
    filterByCategory: '只看“{category}”',
    loading: '正在加载…',
    downloading: '正在下载 {done} / {total}…',
    reading: '正在读取 {done} / {total}…',
    importing: '正在添加 {done} / {total}…',
    loaded: '{count} 篇文章',
    loadedWithFailures: '{count} 篇文章 · {failed} 个无法读取',
    collectionFailed: '无法加载文章集：{error}',
    offlineCollection: '离线：显示保存在本机的文章集。',
    imported: '已添加 {count} 篇文章。',
    importFailures: '{count} 个文件无法添加：',
    noArticleFiles: '没有找到文章文件（Markdown、HTML 或文本文件）。',
    dismiss: '关闭',
    fetchRefused: '无法获取 {url}：服务器拒绝了请求，或不允许其他网站读取它的文件（CORS）。请下载该文件，再用“选择文件…”添加。',
    fetchHttp: '无法获取 {url}：服务器返回 {status}。',
    fetchBadUrl: '这不是一个网址：{url}',
    storageFull: '存储空间已满：{what}没能保存。之前保存的内容都还在；请释放空间或导出阅读列表。',
    storageError: '无法保存{what}：{error}。之前保存的内容都还在。',
    storageUnavailable: '这个浏览器不允许页面保存数据（无痕模式？）：标记和添加的文章只在关闭标签页前有效。',
    whatMarks: '你的标记',
    whatArticles: '添加的 {count} 篇文章',
    whatSettings: '设置',
    exported: '已导出阅读列表（{marks} 个标记，{articles} 篇添加的文章）。',
    importedList: '已导入阅读列表：{marks} 个标记，{articles} 篇添加的文章。',
    importListFailed: '无法导入 {name}：{error}',
    notReadingList: '它不是 Lectern 阅读列表',
    newerReadingList: '它来自更新版本的 Lectern（格式版本 {version}；本页面读取版本 {supported}）',
    badJson: '它不是有效的 JSON（{error}）',
    notFound: '这里没有文章 {id}。它可能已被移除，或是在另一个浏览器里添加的。',
    articleBodyFailed: '无法显示这篇文章：{error}',
    keyNext: '下一篇',
    keyPrevious: '上一篇',
    keyOpen: '打开选中的文章',
    keyBack: '返回列表；清除搜索',
    keyStar: '加 / 取消星标',
    keyRead: '标为已读 / 未读',
    keySearch: '搜索',
    keyHelp: '显示这些快捷键',
    updated: 'Lectern 已更新；重新加载即可使用新版本。',
    widgetLabel: '阅读列表',
    widgetWaiting: '滚动到这里时会加载文章。',
    widgetLoading: '正在加载文章…',
    widgetSearch: '搜索',
    widgetEmpty: '这个文章集里没有文章。',
    pageRange: '第 {from}–{to} 篇，共 {total} 篇',
    pages: '分页',
    previousPage: '上一页',
    nextPage: '下一页',
    categoryFilter: '分类：{category}',
    clearCategory: '显示全部分类',
    tryAgain: '重试',
    widgetNoSrc: '没有可显示的文章集：请把 src 属性设为 Lectern 文章集的地址。',
    widgetNoCollection: '{src} 没有 Lectern 文章集（缺少 collection/manifest.json）。',
    widgetUnreachable: '无法访问 {src}：服务器未响应，或它不允许本页读取（CORS），或本页的内容安全策略不允许（connect-src）。',
    widgetFailed: '无法从 {src} 加载文章：{error}',
    widgetFilesFailed: '{total} 个文章文件中有 {failed} 个无法读取。',
    widgetArticleFailed: '无法打开《{title}》：{error}',
    savedPage: '已保存到 Lectern：{title}',
    saveFailed: 'Lectern 没有保存这个页面：{error}',
    cannotReadPage: 'Lectern 无法读取这个页面（浏览器自带页面、扩展商店以及无权访问的文件都不行）。',
    openReadingList: '打开阅读列表',
    openSidePanel: '在侧边栏打开阅读列表',
    savePage: '把这个页面保存到 Lectern',
    savedArticles: '已保存 {count} 个页面',
    sync: '同步',
    syncIntro: '通过你选择的 CouchDB 服务器（Apache CouchDB、IBM Cloudant、PouchDB Server），让已读标记、星标、阅读位置和你添加的文章在每台设备上保持一致。',
    syncServer: '服务器',
    syncDatabase: '数据库',
    syncUser: '用户名',
    syncPassword: '密码',
    syncRemember: '在这个浏览器里记住密码',
    syncTurnOn: '开启同步',
    syncTurnOff: '关闭同步',
    syncNow: '立即同步',
    syncOff: '同步已关闭',
    syncState_connecting: '正在连接…',
    syncState_syncing: '正在同步…',
    syncState_synced: '已同步',
    syncState_live: '实时同步中',
    syncState_retrying: '正在等待服务器',
    syncState_error: '同步已停止',
    syncState_off: '同步已关闭',
    syncLast: '上次同步：{when}',
    syncProblem: '{error}',
    syncIgnored: { one: '数据库中有 {count} 个文档不是 Lectern 的，已忽略', other: '数据库中有 {count} 个文档不是 Lectern 的，已忽略' },
    syncFailed: '同步：{error}。这里没有任何改动。',
    syncStarted: '已与 {host} 开启同步。',
    syncDone: '已同步。',
    syncNeedsPassword: '同步已开启，但这个浏览器没有保存密码：请输入密码并开启同步。',
    feeds: '订阅源',
    feedsIntro: 'Lectern 在后台抓取你订阅的源；新条目以未读出现在列表里。',
    feedsPageIntro: '你添加的订阅源文件（RSS、Atom、JSON Feed）记着它们的地址；可以导出为 OPML 列表给阅读器使用。',
    feedUrl: '订阅源地址，或提供订阅源的网页地址',
    subscribe: '订阅',
    unsubscribe: '取消订阅',
    refreshFeeds: '立即刷新',
    exportOpml: '导出 OPML…',
    importOpml: '导入 OPML…',
    refreshEvery: '刷新间隔',
    everyMinutes: '{count} 分钟',
    everyHours: { one: '{count} 小时', other: '{count} 小时' },
    noSubscriptions: '还没有订阅。',
    feedItems: { one: '{count} 条', other: '{count} 条' },
    feedNeverFetched: '尚未抓取',
    feedFetched: '{when}抓取',
    feedError: '上次抓取失败：{error}',
    subscribed: '已订阅 {title}',
    subscribeFailed: '无法订阅 {url}：{error}',
    feedPermissionRefused: 'Lectern 没有获准读取 {host}，无法抓取这个订阅源。',
    feedsRefreshed: '订阅源已刷新：新增 {added}，更新 {updated}，失败 {failed}',
    opmlImported: '已订阅列表中 {listed} 个源里的 {added} 个',
    noFeedsKnown: '还没有订阅源：先添加一个订阅源文件。',
    opmlExported: { one: '已导出 {count} 个订阅源', other: '已导出 {count} 个订阅源' },
    noFeedOnPage: '这个页面没有提供订阅源（没有 RSS、Atom 或 JSON Feed 链接）。',
    subscribeToPage: '用 Lectern 订阅这个页面的源',
    feedFailed: '无法读取订阅源 {name}：{error}',
  },
};

export const LOCALES = Object.keys(STRINGS);
let current = 'en';

/** The locale for a preference: 'auto' follows the browser's languages. */
export function resolveLocale(preference = 'auto', languages = navigator.languages ?? [navigator.language]) {
  if (LOCALES.includes(preference)) return preference;
  for (const tag of languages) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LOCALES.includes(base)) return base;
  }
  return 'en';
}

/** Sets the current locale and rewrites the static text of the page. */
export function setLocale(locale, root = document) {
  current = LOCALES.includes(locale) ? locale : 'en';
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  translateTree(root, { t });
}

/**
 * Rewrites the static text under `root` (a document, shadow root or element):
 * `data-i18n` (text), `data-i18n-placeholder`, `data-i18n-aria-label` (and a
 * title beside it), in the words of `i18n` (from localized(), or the page's).
 */
export function translateTree(root, i18n) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = i18n.t(element.dataset.i18n);
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) element.placeholder = i18n.t(element.dataset.i18nPlaceholder);
  for (const element of root.querySelectorAll('[data-i18n-aria-label]')) {
    element.setAttribute('aria-label', i18n.t(element.dataset.i18nAriaLabel));
    if (element.title) element.title = i18n.t(element.dataset.i18nAriaLabel);
  }
}

/** The current locale ('en' or 'zh'). */
export function locale() {
  return current;
}

/** The text for `key` in the current locale, with {name} replaced from `values`. */
export function t(key, values = {}) {
  return translate(current, key, values);
}

/** Plural rules per locale (made on first use). */
const plurals = new Map();

function translate(code, key, values) {
  let template = STRINGS[code][key] ?? STRINGS.en[key] ?? key;
  // A template with forms for "one" and "other": the count chooses.
  if (typeof template === 'object') {
    if (!plurals.has(code)) plurals.set(code, new Intl.PluralRules(code));
    const form = Number.isFinite(values.count) ? plurals.get(code).select(values.count) : 'other';
    template = template[form] ?? template.other;
  }
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

const UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 days ago" / "3 天前", in the current locale. */
export function relativeDate(iso, now = Date.now()) {
  return relativeDateIn(current, iso, now);
}

/** Formatters per locale (making one costs more than using it: a list draws many dates). */
const formatters = new Map();

function formatter(kind, code, make) {
  const key = `${kind} ${code}`;
  if (!formatters.has(key)) formatters.set(key, make());
  return formatters.get(key);
}

function relativeDateIn(code, iso, now) {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const seconds = (time - now) / 1000;
  const format = formatter('relative', code, () => new Intl.RelativeTimeFormat(code, { numeric: 'auto' }));
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'minute');
}

/** The exact date and time, in the current locale. */
export function exactDate(iso) {
  return exactDateIn(current, iso);
}

function exactDateIn(code, iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return formatter('exact', code, () => new Intl.DateTimeFormat(code === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'full', timeStyle: 'short' })).format(date);
}

/** A collator for sorting titles in the current locale. */
export function collator() {
  return collatorIn(current);
}

function collatorIn(code) {
  return formatter('collator', code, () => new Intl.Collator(code === 'zh' ? 'zh-CN' : 'en', { sensitivity: 'base', numeric: true }));
}

/**
 * The words of one fixed locale, for a part of a page that has its own
 * language (each <lectern-reader> has one): `t`, `relativeDate`, `exactDate`
 * and `collator` as above, bound to `code`. Views take one of these as
 * `i18n`; without it they follow the page's current locale.
 * @param {string} code a locale of LOCALES (anything else means 'en')
 */
export function localized(code) {
  const fixed = LOCALES.includes(code) ? code : 'en';
  return {
    locale: fixed,
    t: (key, values = {}) => translate(fixed, key, values),
    relativeDate: (iso, now = Date.now()) => relativeDateIn(fixed, iso, now),
    exactDate: (iso) => exactDateIn(fixed, iso),
    collator: () => collatorIn(fixed),
  };
}

/** The page's words: follows setLocale(). */
export const pageI18n = {
  get locale() {
    return current;
  },
  t,
  relativeDate,
  exactDate,
  collator,
};
