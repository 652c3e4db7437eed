// The Russian texts of the UI: the same keys as the English table (en.ts),
// checked by the type, in the words a Russian-speaking support engineer uses.

import type { Strings } from "./en";
import { counted } from "./plural";

const tickets = counted("ru", { one: "тикет", few: "тикета", many: "тикетов", other: "тикета" });
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
    notConfigured: (fromCache) =>
      fromCache ? "Сервер не настроен — работа с локальным кэшем" : "Сервер не настроен",
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
    message: "Сообщение",
    delivery: {
      queued: "В очереди",
      sending: "Отправляется…",
      sent: "Отправлено",
      delivered: "Доставлено",
      failed: "Не доставлено",
    },
    deliveryHint: "Доставка клиенту",
    unsent: "Не отправлено",
    unsentHint: "Ждёт в исходящих: Shiftdesk отправит, как только сервер ответит.",
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
  },

  views: {
    mine_open: "Мои открытые",
    waiting_on_customer: "Ждут клиента",
    all: "Все",
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
