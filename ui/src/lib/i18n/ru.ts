// The Russian texts of the UI: the same keys as the English table (en.ts),
// checked by the type, in the words a Russian-speaking support engineer uses.

import type { IntakeItem } from "../bindings";
import type { Strings } from "./en";
import { counted } from "./plural";

const tickets = counted("ru", { one: "тикет", few: "тикета", many: "тикетов", other: "тикета" });
const changes = counted("ru", { one: "изменение", few: "изменения", many: "изменений", other: "изменения" });
const messages = counted("ru", { one: "сообщением", few: "сообщениями", many: "сообщениями", other: "сообщениями" });
const kept = counted("ru", {
  one: "изменение уйдёт",
  few: "изменения уйдут",
  many: "изменений уйдут",
  other: "изменения уйдут",
});
const savedTo = counted("ru", {
  one: "неотправленное изменение сохранено в файл",
  few: "неотправленных изменения сохранены в файл",
  many: "неотправленных изменений сохранены в файл",
  other: "неотправленного изменения сохранены в файл",
});
const discarded = counted("ru", {
  one: "неотправленное изменение удалено.",
  few: "неотправленных изменения удалены.",
  many: "неотправленных изменений удалены.",
  other: "неотправленного изменения удалены.",
});
const notSent = counted("ru", {
  one: "изменение ещё не дошло до сервера.",
  few: "изменения ещё не дошли до сервера.",
  many: "изменений ещё не дошли до сервера.",
  other: "изменения ещё не дошли до сервера.",
});
const held = counted("ru", {
  one: "изменение нельзя отправить как есть: сервер его отклонил или оно ждёт вашего решения. Сохраните его в файл или удалите.",
  few: "изменения нельзя отправить как есть: сервер их отклонил или они ждут вашего решения. Сохраните их в файл или удалите.",
  many: "изменений нельзя отправить как есть: сервер их отклонил или они ждут вашего решения. Сохраните их в файл или удалите.",
  other: "изменения нельзя отправить как есть: сервер их отклонил или они ждут вашего решения. Сохраните их в файл или удалите.",
});
const lost = counted("ru", {
  one: "изменение будет потеряно",
  few: "изменения будут потеряны",
  many: "изменений будут потеряны",
  other: "изменения будут потеряны",
});
const filtersOn = counted("ru", {
  one: "фильтр включён",
  few: "фильтра включены",
  many: "фильтров включено",
  other: "фильтра включены",
});

const requestLines: Record<IntakeItem, string> = {
  account_login: "логин аккаунта;",
  project_name: "название проекта;",
  diagnostics: "диагностику: скриншоты ошибки и логи за время сбоя.",
};
const breaches = counted("ru", {
  one: "нарушение",
  few: "нарушения",
  many: "нарушений",
  other: "нарушения",
});
const warnings = counted("ru", {
  one: "предупреждение",
  few: "предупреждения",
  many: "предупреждений",
  other: "предупреждения",
});

export const ru: Strings = {
  productName: "Shiftdesk",
  signedInAs: (agent) => `Вы вошли как ${agent}`,

  server: {
    label: "Подключение к серверу",
    checking: "Проверка сервера…",
    signedIn: (server, agent, role) => `Подключено к ${server}: ${agent} (${role})`,
    refusedToken: (server, message) => `Сервер ${server} не принял токен: ${message}`,
    refused: (server, message) => `Сервер ${server} отклонил запрос: ${message}`,
    unreachable: (server, reason, fromCache) =>
      fromCache
        ? `Сервер ${server} недоступен: ${reason} — работа с локальным кэшем`
        : `Сервер ${server} недоступен: ${reason}`,
    unexpected: (server, status, what) =>
      `Сервер ${server} вернул неожиданный ответ (HTTP ${status}): ${what}`,
    unknown: (message) => `Состояние сервера неизвестно: ${message}`,
  },

  roles: {
    agent: "агент",
    lead: "руководитель смены",
  },

  cacheNotice: {
    body: (movedTo) =>
      `Прежний кэш был повреждён и перемещён в ${movedTo}; создан новый кэш. Ничего не удалено.`,
    reason: (reason) => `Причина: ${reason}`,
    dismiss: "Скрыть",
  },

  error: {
    title: "Shiftdesk не удалось выполнить действие",
    titleFor: {
      "cache.schema_too_new": "Этот кэш создан более новой версией Shiftdesk",
      "cache.unavailable": "Не удаётся открыть кэш тикетов",
      "queue.bad_cursor": "Очередь изменилась во время загрузки",
      "ipc.bad_request": "Окно отправило запрос, который Shiftdesk не понимает",
      "ipc.unexpected": "Произошла непредвиденная ошибка",
    },
    code: "Код ошибки",
    retry: "Повторить",
  },

  queue: {
    regionLabel: "Очередь тикетов",
    viewsLabel: "Разделы очереди",
    caption: (view) => `Тикеты: ${view}`,
    loading: "Загрузка тикетов…",
    loadingMore: "Загрузка следующих тикетов…",
    loadMore: "Загрузить ещё",
    empty: "В этом разделе нет тикетов.",
    shown: (shown, total) => `Показано ${shown} из ${total}`,
    ticketCount: tickets,
    keyboardHint: "J и K — переход между тикетами, Enter — открыть тикет.",
    columns: {
      number: "№",
      subject: "Тема",
      customer: "Клиент",
      channel: "Канал",
      status: "Статус",
      priority: "Приоритет",
      slaDue: "Срок SLA",
    },
    prioritySupport: "Приоритетная поддержка",
    prioritySupportHint: "Тариф Professional Services: ускоренные сроки ответа",
    beta: "Бета",
    betaHint: "Бета-сервис: без SLA и гарантированного ответа",
    unread: "Непрочитано",
    unreadHint: "Клиент написал после того, как вы открывали этот тикет",
    countFiltered: (count) => `, по фильтрам: ${count}`,
    count: (count) => `, ${tickets(count)}`,
  },

  filters: {
    label: "Фильтры",
    clear: "Сбросить фильтры",
    button: (kind, chosen) => (chosen === 0 ? kind : `${kind} (${chosen})`),
    active: (count) => `${filtersOn(count)}; счётчики показывают подходящие тикеты`,
    empty: "В этом разделе нет тикетов, подходящих под фильтры.",
    kinds: {
      channels: "Канал",
      statuses: "Статус",
      priorities: "Приоритет",
      categories: "Категория",
      plans: "Тариф",
    },
  },

  search: {
    label: "Поиск тикетов",
    placeholder: "Поиск тикетов (/ или Ctrl+F)",
    clear: "Очистить поиск",
    searching: "Ищем…",
    results: (count) => `Найдено: ${tickets(count)}`,
    none: "Ничего не найдено.",
    resultsLabel: "Результаты поиска",
    open: (ticket) => `Открыть тикет ${ticket}`,
  },

  sla: {
    noSla: "без SLA",
    none: "—",
    noneLabel: "Срок SLA не задан",
    dueIn: (span) => `через ${span}`,
    overdue: (span) => `просрочено на ${span}`,
    lessThanAMinute: "<1 мин",
    minutes: (n) => `${n} мин`,
    hours: (n) => `${n} ч`,
    days: (n) => `${n} дн.`,
    dueAt: (when) => `Срок: ${when}`,
    left: (span) => `осталось ${span}`,
    late: (span) => `опоздание на ${span}`,
    metrics: {
      first_response: "Первый ответ",
      next_response: "Следующий ответ",
      resolution: "Решение",
    },
    states: {
      fulfilled: "Выполнено",
      paused: "На паузе",
      ok: "В срок",
      warning: "Под угрозой",
      breached: "Нарушено",
      no_sla: "Без SLA",
    },
    stopped: "Отсчёт остановлен",
  },

  pane: {
    label: (ticket) => `Тикет ${ticket}`,
    close: "Закрыть",
    closeHint: "Закрыть тикет (Escape)",
    loading: "Загрузка тикета…",
    notCached: (ticket) => `Тикета ${ticket} нет в локальном кэше.`,
    customer: "Клиент",
    service: "Сервис",
    status: "Статус",
    priority: "Приоритет",
    channel: "Канал",
    plan: "Тариф",
    plans: {
      standard: "Тариф Standard",
      professional: "Тариф Professional",
    },
    betaNoSla: "Бета-сервис: без SLA и гарантированного ответа.",
    slaTitle: "SLA",
    slaUnavailable: "У Shiftdesk нет отсчётов SLA для этого тикета.",
    slaLoadFailed: (message) => `Отсчёты SLA недоступны: ${message}`,
    conversationTitle: "Переписка",
    conversationEmpty: "Сообщений пока нет.",
    showEarlier: (count) => `Показать более ранние: ${count}`,
  },

  conversation: {
    system: "Система",
    kinds: {
      inbound: "Клиент",
      public_reply: "Публичный ответ",
      internal_note: "Внутренняя заметка",
      call_log: "Звонок",
      system_event: "Системное событие",
    },
    delivery: {
      queued: "В очереди",
      sending: "Отправляется…",
      sent: "Отправлено",
      delivered: "Доставлено",
      failed: "Не доставлено",
    },
    deliveryHint: "Доставка клиенту",
    unsent: {
      queued: "Не отправлено",
      failed: "Отклонено",
      needs_review: "Ждёт вас",
    },
    unsentHint: {
      queued: "Ждёт в исходящих: Shiftdesk отправит, как только сервер ответит.",
      failed: "Сервер отклонил: откройте исходящие, чтобы исправить, отправить снова или удалить.",
      needs_review: "Задержано: клиент написал ещё или тикет изменился. Решите в исходящих.",
    },
    call: (direction, outcome, duration) => `${direction} · ${outcome} · ${duration}`,
    callback: (when) => `Перезвонить ${when}`,
    callbackOverdue: "Просрочено",
    files: "Вложения",
    openFile: (name) => `Открыть ${name}`,
    openFailed: (message) => `Не удалось открыть файл: ${message}`,
    showFormatted: "Показать с оформлением",
    showText: "Показать текст",
    formattedTitle: "Письмо клиента с его оформлением",
    formattedLoading: "Готовим письмо с оформлением…",
    formattedNone: "У этого письма нет версии с оформлением.",
    formattedFailed: (message) => `Письмо с оформлением не показать: ${message}`,
    blockedImages: (count) => `Заблокировано внешних картинок: ${count}`,
    links: "Ссылки в письме",
    openLink: "Открыть в браузере",
    openLinkFailed: (message) => `Не удалось открыть ссылку: ${message}`,
    viewerTitle: (name) => `Изображение: ${name}`,
    closeViewer: "Закрыть",
    failedBecause: (reason) => `Не доставлено: ${reason}`,
    retry: "Отправить снова",
  },

  board: {
    tab: "Нарушения SLA",
    tabCount: breaches,
    regionLabel: "Нарушения SLA",
    updated: (time) => `Обновлено в ${time}`,
    refresh: "Обновить",
    loading: "Загрузка нарушений SLA…",
    refreshFailed: (message) => `Не удалось обновить: ${message}`,
    sections: {
      breached: "Нарушено",
      warning: "Под угрозой",
      forecast: "Срок в ближайшие 60 мин",
    },
    sectionEmpty: "Нет.",
    empty: "Ни нарушений, ни угроз, ни сроков в ближайший час",
    columns: {
      number: "№",
      subject: "Тема",
      assignee: "Исполнитель",
      channel: "Канал",
      metric: "Метрика",
      due: "Срок",
      reassign: "Переназначить",
    },
    unassigned: "Не назначен",
    agentNumber: (id) => `Агент ${id}`,
    open: (ticket) => `Открыть тикет ${ticket}`,
    reassignLabel: (ticket) => `Переназначить тикет ${ticket}`,
    reassignPlaceholder: "Переназначить…",
    reassigning: "Переназначение…",
    queued: "В очереди",
    queuedHint: "Сохранено в исходящих; уйдёт на сервер, как только он ответит.",
    reassignFailed: (message) => `Не переназначено: ${message}`,
    summary: "Сводка",
    byAgent: "По агентам",
    byChannel: "По каналам",
    counts: {
      breached: breaches,
      warning: warnings,
      forecast: (n) => `скоро срок: ${n}`,
    },
  },

  signIn: {
    title: "Вход в Shiftdesk",
    welcome: "Добро пожаловать! Чтобы войти, укажите адрес сервера Shiftdesk вашей команды.",
    noToken: (agent) =>
      agent === null
        ? "Войдите снова. Тикеты в кэше на этом компьютере и исходящие сохранены."
        : `Войдите снова как ${agent}. Тикеты в кэше на этом компьютере и исходящие сохранены.`,
    sessionExpired: "Срок действия сеанса истёк. Войдите снова, чтобы продолжить.",
    sessionRevoked: "Вход на этом устройстве отозван. Войдите снова, чтобы продолжить.",
    sessionEnded: "Сервер завершил ваш сеанс. Войдите снова, чтобы продолжить.",
    unsentKept: (count) => `Исходящие сохранены: ${kept(count)} на сервер после входа.`,
    wiped:
      "Вход на этом устройстве завершили с другого устройства или это сделал руководитель смены; кэш на этом компьютере стёрт.",
    signedOut: "Вы вышли из аккаунта.",
    exportedTo: (count) => `${savedTo(count)}:`,
    discarded,
    failed: (message) => `Shiftdesk не удалось открыть ваш аккаунт: ${message}`,
    server: "Адрес сервера",
    serverPlaceholder: "https://desk.example.com",
    serverMissing: "Укажите адрес сервера вашей команды.",
    check: "Продолжить",
    checking: "Проверяем сервер…",
    serverOk: (api, version) => `Сервер Shiftdesk, API v${api} (${version})`,
    method: "Способ входа",
    methods: { password: "Пароль", code: "Одноразовый код" },
    login: "Логин или почта",
    password: "Пароль",
    code: "Одноразовый код",
    codePlaceholder: "ABCD-EFGH-JKLM-NPQR",
    newPassword: "Новый пароль",
    newPasswordAgain: "Новый пароль ещё раз",
    passwordRule: (min) => `Не менее ${min} символов.`,
    passwordsDiffer: "Пароли не совпадают.",
    keep: "Где хранить вход",
    keeps: {
      keyring: "Системное хранилище ключей",
      memory: "Только этот сеанс (в памяти)",
    },
    submit: "Войти",
    submitting: "Входим…",
  },

  signOut: {
    title: "Выход из аккаунта",
    erases: "При выходе тикеты, черновики и файлы этого аккаунта будут стёрты с этого компьютера.",
    loading: "Читаем исходящие…",
    loadFailed: (message) => `Не удалось прочитать исходящие: ${message}`,
    nothingLeft: "Ничего не ждёт отправки.",
    confirm: "Выйти",
    unsent: notSent,
    listLabel: "Неотправленные изменения",
    send: "Сначала отправить",
    sending: (left) => `Отправляем: ${left}…`,
    held,
    tokenRefused: "Сейчас отправить не получится: сервер больше не принимает вход с этого устройства.",
    offline: "Сейчас отправить не получится: сервер не отвечает уже 30 секунд.",
    export: "Сохранить в файл и выйти",
    understood: (count) => `Я понимаю, что ${lost(count)}`,
    discard: "Удалить и выйти",
    signingOut: "Выходим…",
    failed: (message) => `Выйти не удалось: ${message}`,
    cancel: "Отмена",
  },

  settings: {
    button: "Настройки",
    title: "Настройки",
    notifications: "Уведомления",
    warning: "Предупреждать до нарушения SLA",
    breached: "Сообщать о нарушении SLA",
    sound: "Со звуком",
    quiet_while_open: "Не беспокоить по тикету, открытому на экране",
    loading: "Загрузка настроек…",
    saving: "Сохранение…",
    loadFailed: (message) => `Настройки недоступны: ${message}`,
    saveFailed: (message) => `Не сохранено: ${message}`,
    close: "Закрыть",
    appearance: "Язык и тема",
    language: "Язык",
    theme: "Тема",
    followSystem: (current) => `Как в системе (${current})`,
    themes: {
      light: "Светлая",
      dark: "Тёмная",
    },
    themeSystem: "Как в системе",
    account: "Аккаунт",
    server: (server) => `Сервер: ${server}`,
    memoryOnly: "При следующем запуске Shiftdesk придётся войти снова.",
    accountFailed: (message) => `Сведения об аккаунте недоступны: ${message}`,
    signOut: "Выйти…",
  },

  customer: {
    label: "Клиент и SLA",
    title: "Клиент",
    name: "Имя",
    login: "Логин",
    project: "Проект",
    email: "Почта",
    phone: "Телефон",
    service: "Сервис",
    plan: "Тариф",
    category: "Категория",
    unknown: "не указан",
    stages: { beta: "Бета · без SLA", ga: "GA" },
    missing: (items) => `Не хватает: ${items}.`,
    items: {
      account_login: "логина аккаунта",
      project_name: "названия проекта",
      diagnostics: "логов или скриншотов",
    },
    ask: {
      account_login: "Запросить логин",
      project_name: "Запросить проект",
      diagnostics: "Запросить логи",
    },
    askAll: "Запросить всё",
    requestText: (items, name, ticket) => {
      const wanted = items.map((item) => `- ${requestLines[item]}`).join("\n");
      return `Здравствуйте, ${name}!\n\nЧтобы мы могли разобраться с обращением ${ticket}, пришлите, пожалуйста:\n${wanted}\n\nС уважением`;
    },
  },

  connection: {
    states: { online: "В сети", degraded: "Связь нестабильна", offline: "Нет связи" },
    synced: (when) => `синхронизировано ${when}`,
    neverSynced: "ещё не синхронизировано",
    pending: (n) => `к отправке: ${changes(n)}`,
  },

  outbox: {
    button: (all, waiting) => (waiting > 0 ? `Исходящие: ждут вас ${waiting}` : `Исходящие (${all})`),
    title: "Исходящие",
    empty: "Всё дошло до сервера.",
    states: { queued: "В очереди", failed: "Отклонено", needs_review: "Ждёт вас" },
    queuedHint: (attempts) =>
      attempts === 0
        ? "Отправится, когда сервер ответит."
        : `Отправится, когда сервер ответит (попыток: ${attempts}).`,
    writtenSince: "Клиент или коллега написали после того, как вы начали этот ответ.",
    conflict: "Тикет изменился на сервере после вашей правки.",
    refused: (detail) => `Сервер отклонил: ${detail}`,
    changes: {
      reply: (channel) => `Ответ через ${channel}`,
      note: "Внутренняя заметка",
      call: "Запись звонка",
      status: (status) => `Статус → ${status}`,
      priority: (priority) => `Приоритет → ${priority}`,
      assign: "Переназначение",
      tags: (tags) => `Теги: ${tags || "нет"}`,
      retry: "Повтор доставки",
    },
    resend: "Отправить снова",
    sendAnyway: "Всё равно отправить",
    edit: "Изменить",
    editLabel: "Текст для отправки",
    saveAndSend: "Сохранить и отправить",
    cancel: "Отмена",
    discard: "Удалить",
  },

  layout: {
    queueSplitter: "Ширина очереди",
    sideSplitter: "Ширина панели клиента",
  },

  palette: {
    label: "Палитра команд",
    placeholder: "Команда или номер тикета…",
    none: "Нет такой команды.",
    openTicket: (ticket) => `Открыть тикет ${ticket}`,
    view: (view) => `Перейти: ${view}`,
    board: "Перейти к доске нарушений",
    reply: "Ответить клиенту",
    note: "Написать внутреннюю заметку",
    call: "Записать звонок",
    status: (status) => `Статус: ${status}`,
    close: "Закрыть тикет",
    search: "Искать тикеты",
    outbox: "Открыть исходящие",
    settings: "Открыть настройки",
    shortcuts: "Показать сочетания клавиш",
  },

  shortcuts: {
    title: "Сочетания клавиш",
    move: "Следующий / предыдущий тикет",
    open: "Открыть выбранный тикет",
    reply: "Ответить",
    note: "Внутренняя заметка",
    send: "Отправить написанное",
    search: "Поиск тикетов",
    palette: "Палитра команд",
    close: "Закрыть окно или тикет",
    help: "Эта подсказка",
    closeButton: "Закрыть",
  },

  fields: {
    assignee: "Исполнитель",
    tags: "Теги",
    addTag: "Добавить тег",
    removeTag: (tag) => `Убрать тег ${tag}`,
  },

  files: {
    bytes: (n) => `${n} Б`,
    kb: "КБ",
    mb: "МБ",
    gb: "ГБ",
  },

  composer: {
    label: "Ответ по тикету",
    modeLabel: "Что написать",
    modes: { reply: "Ответ", note: "Внутренняя заметка", call: "Звонок" },
    via: "через",
    ticketsChannel: "канал тикета",
    canned: "Шаблон ответа",
    to: "Кому",
    subject: "Тема",
    noAddress: "Адрес почты не указан",
    cc: "Копия",
    ccPlaceholder: "Копии: адреса через запятую",
    alreadyCopied: (addresses: string) => `Также уйдёт всем в переписке тикета: ${addresses}`,
    quoted: "Последнее письмо клиента цитируется под ответом; тема сохраняет метку тикета для переписки.",
    callLegend: "Звонок",
    direction: "Направление",
    directions: { outbound: "Я звонил(а)", inbound: "Звонил клиент" },
    outcome: "Итог",
    outcomes: {
      answered: "Ответили",
      no_answer: "Не ответили",
      busy: "Занято",
      voicemail: "Автоответчик",
    },
    minutes: "Минуты",
    seconds: "Секунды",
    callback: "Перезвонить",
    textLabel: {
      reply: "Ответ клиенту",
      note: "Внутренняя заметка для команды",
      call: "Заметки о звонке",
    },
    placeholder: {
      reply: "Напишите клиенту (Markdown)…",
      note: "Заметка, которую видит только команда…",
      call: "О чём говорили…",
    },
    telegramCount: (chars, parts) =>
      parts > 1 ? `${chars} символов · уйдёт ${messages(parts)}` : `${chars} / 4096 символов`,
    part: (n, of, chars) => `Сообщение ${n} из ${of} · ${chars} символов`,
    previewTitle: "Как клиент увидит ответ",
    preview: "Предпросмотр",
    unfilled: (names) => `Заполните перед отправкой: ${names}`,
    writtenSince: "Клиент написал ещё раз, пока вы писали ответ. Сначала прочитать?",
    sendAnyway: "Всё равно отправить",
    attach: "Прикрепить файлы",
    attached: "Прикреплённые файлы",
    attaching: "Прикрепляем…",
    removeFile: (name: string) => `Убрать ${name}`,
    fileTooLarge: (name: string, size: string, limit: string) =>
      `${name} — ${size}; к сообщению можно приложить файл до ${limit}.`,
    sendHint: "Ctrl+Enter — отправить",
    sending: "Ставим в очередь…",
    send: { reply: "Отправить ответ", note: "Добавить заметку", call: "Сохранить звонок" },
  },

  views: {
    mine_open: "Мои открытые",
    breaching_soon: "Скоро нарушение",
    waiting_on_customer: "Ждут клиента",
    team: "Команда",
  },

  categories: {
    architecture_consulting: "Архитектурные консультации",
    resource_diagnostics: "Диагностика ресурсов",
    access_recovery: "Восстановление доступа",
    billing: "Биллинг",
    platform_problem: "Проблема платформы",
    service_setup: "Настройка сервисов",
    out_of_scope: "Вне зоны поддержки",
  },

  channels: {
    portal: "Портал",
    telegram: "Telegram",
    email: "Почта",
    phone: "Телефон",
  },

  statuses: {
    new: "Новый",
    open: "Открыт",
    pending: "Ждёт клиента",
    on_hold: "Отложен",
    solved: "Решён",
    closed: "Закрыт",
    reopened: "Открыт повторно",
  },

  priorities: {
    urgent: "Срочный",
    high: "Высокий",
    normal: "Обычный",
    low: "Низкий",
  },
};
