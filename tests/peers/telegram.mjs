// The Telegram Bot API emulator (npm telegram-test-api) on a loopback
// port, for the gateway's tests. The emulator covers getUpdates and
// sendMessage; this harness adds, in front of it, what it lacks:
//   getUpdates as the real Bot API answers it (offset confirms, limit 100);
//   POST /control/customer  {token, chat, text?, caption?, photo?, document?, sticker?, edited?}
//        a customer writes to the bot (photo/document carry base64 bytes);
//   GET  /control/sent?token=T   what the bot sent, in order;
//   POST /control/faults {status, retry_after?, count}
//        the next `count` Bot API calls answer `status`;
//   POST /bot<T>/getFile and GET /file/bot<T>/<path> for those files;
//   POST /bot<T>/sendDocument (multipart), listed in /control/sent with
//        the file's name, type, size and SHA-256;
// and edited messages as `edited_message` updates.
// Prints "listening <port>" when ready.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const TelegramServer = require('telegram-test-api');

const emulator = new TelegramServer({ port: 1, host: '127.0.0.1', storeTimeout: 3600 });
const files = new Map();
let faults = { status: 0, retryAfter: 0, count: 0 };
let nextId = 1;
// The emulator only makes `message` updates; an edit is stored as one
// with a mark, and formatted as `edited_message`.
const formatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = (update) => (update.edited
  ? { update_id: update.updateId, edited_message: { ...update.message, message_id: update.edited, edit_date: update.message.date } }
  : formatUpdate(update));

function readJson(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => { try { resolve(data ? JSON.parse(data) : {}); } catch (e) { reject(e); } });
  });
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function keepFile(base64, name, mime) {
  const id = `file-${nextId++}`;
  const bytes = Buffer.from(base64, 'base64');
  files.set(id, { bytes, path: `documents/${id}` });
  return { file_id: id, file_unique_id: id, file_size: bytes.length, file_name: name, mime_type: mime };
}

async function customer(body) {
  const message = {
    botToken: body.token,
    date: Math.floor(Date.now() / 1000),
    from: { id: body.chat, is_bot: false, first_name: body.first_name ?? 'Customer' },
    chat: { id: body.chat, type: body.chat_type ?? 'private', first_name: body.first_name ?? 'Customer' },
  };
  if (body.text !== undefined) message.text = body.text;
  if (body.caption !== undefined) message.caption = body.caption;
  if (body.photo) message.photo = [keepFile(body.photo, 'photo.jpg', 'image/jpeg')];
  if (body.document) {
    message.document = keepFile(body.document.base64, body.document.name, body.document.mime);
    if (body.document.claimed_size) message.document.file_size = body.document.claimed_size;
  }
  if (body.sticker) message.sticker = { emoji: body.sticker, file_id: 'sticker' };
  if (body.edited) {
    await emulator.addUserUpdate({ ...emulator.getCommonFields(body.token), message, edited: body.edited });
    return;
  }
  await emulator.addUserMessage(message);
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/control/customer') {
      await customer(await readJson(req));
      return send(res, 200, { ok: true });
    }
    if (url.pathname === '/control/sent') {
      const token = url.searchParams.get('token');
      const sent = emulator.storage.botMessages.filter((m) => m.botToken === token).map((m) => ({ message_id: m.messageId, ...m.message }));
      return send(res, 200, sent);
    }
    if (url.pathname === '/control/faults') {
      const body = await readJson(req);
      faults = { status: body.status, retryAfter: body.retry_after ?? 0, count: body.count };
      return send(res, 200, { ok: true });
    }
    const bot = url.pathname.match(/^\/bot([^/]+)\/(\w+)$/);
    if (bot && faults.count > 0) {
      faults.count -= 1;
      const answer = { ok: false, error_code: faults.status, description: faults.status === 429 ? 'Too Many Requests: retry later' : 'Internal Server Error' };
      if (faults.status === 429) answer.parameters = { retry_after: faults.retryAfter };
      return send(res, faults.status, answer);
    }
    if (bot && bot[2] === 'getUpdates') {
      // As the real Bot API: an update stays until an offset past it
      // confirms it, and one call returns at most `limit` (100).
      const body = await readJson(req);
      const token = bot[1];
      const offset = Number(body.offset ?? 0);
      const limit = Math.min(Math.max(Number(body.limit ?? 100), 1), 100);
      emulator.storage.userMessages = emulator.storage.userMessages
        .filter((u) => u.botToken !== token || u.updateId >= offset);
      const result = emulator.storage.userMessages
        .filter((u) => u.botToken === token)
        .slice(0, limit)
        .map((u) => TelegramServer.formatUpdate(u));
      return send(res, 200, { ok: true, result });
    }
    if (bot && bot[2] === 'sendDocument') {
      // A multipart upload, read with Node's own fetch types.
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const form = await new Request('http://peer/', { method: 'POST', headers: req.headers, body: Buffer.concat(chunks) }).formData();
      const file = form.get('document');
      if (!form.get('chat_id') || !file || typeof file === 'string') {
        return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat_id and document are required' });
      }
      const bytes = Buffer.from(await file.arrayBuffer());
      const messageId = 1_000_000 + nextId++;
      const document = { file_name: file.name, mime_type: file.type, file_size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
      emulator.storage.botMessages.push({ botToken: bot[1], messageId, message: { chat_id: Number(form.get('chat_id')), document } });
      return send(res, 200, { ok: true, result: { message_id: messageId, chat: { id: Number(form.get('chat_id')) }, document } });
    }
    if (bot && bot[2] === 'getFile') {
      const body = await readJson(req);
      const file = files.get(body.file_id);
      if (!file) return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
      return send(res, 200, { ok: true, result: { file_id: body.file_id, file_path: file.path } });
    }
    const download = url.pathname.match(/^\/file\/bot[^/]+\/documents\/(.+)$/);
    if (download) {
      const file = files.get(download[1]);
      if (!file) return send(res, 404, { ok: false });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(file.bytes);
    }
    return emulator.webServer(req, res);
  } catch (e) {
    return send(res, 500, { ok: false, error_code: 500, description: String(e) });
  }
});

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
