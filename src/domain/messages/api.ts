// Messages of the HTTP API's own errors (API_*) and of cloud failures passed on to a caller
// (CLOUD_REQUEST_FAILED), in both languages; the HTTP status is chosen in src/api.
import type { MessageCatalogue } from './types.js';

export const apiMessages: MessageCatalogue = {
  API_NOT_FOUND: { en: 'There is nothing at {path}.', zh: '{path} 不存在。' },
  API_METHOD_NOT_ALLOWED: { en: '{method} is not allowed on {path}.', zh: '{path} 不支持 {method} 方法。' },
  API_BODY_TOO_LARGE: {
    en: 'The request body is larger than {limit} bytes.',
    zh: '请求体超过 {limit} 字节。',
  },
  API_UNSUPPORTED_MEDIA_TYPE: {
    en: 'Send the request body as application/json.',
    zh: '请求体须为 application/json。',
  },
  API_BODY_NOT_JSON: { en: 'The request body is not valid JSON.', zh: '请求体不是合法的 JSON。' },
  API_INVALID_BODY: { en: 'The request body has {count} problem(s).', zh: '请求体有 {count} 个问题。' },
  API_UNAUTHORIZED: {
    en: 'This needs a valid credential ({scheme}).',
    zh: '此操作需要有效的凭证（{scheme}）。',
  },
  API_LOGIN_FAILED: {
    en: 'The user name or password is wrong.',
    zh: '用户名或密码错误。',
  },
  API_LOGIN_THROTTLED: {
    en: 'Too many failed sign-ins for this user; try again in {minutes} minutes.',
    zh: '该用户登录失败次数过多，请 {minutes} 分钟后再试。',
  },
  API_CSRF_REQUIRED: {
    en: "A console request that changes something must carry the session's {header} header.",
    zh: '控制台的修改类请求须携带会话的 {header} 请求头。',
  },
  API_CONSOLE_NOT_BUILT: {
    en: 'The web console is not built; run `{command}` and restart.',
    zh: '控制台尚未构建；请运行 `{command}` 后重启。',
  },
  API_INTERNAL: {
    en: 'Something went wrong on our side; request {requestId} identifies it in the logs.',
    zh: '服务内部出错；日志中可用请求 ID {requestId} 查到原因。',
  },
  CLOUD_REQUEST_FAILED: {
    en: 'The cloud refused the request: {cloudCode}: {cloudMessage}',
    zh: '云服务拒绝了请求：{cloudCode}：{cloudMessage}',
  },
  FIELD_REQUIRED: { en: 'This field is required.', zh: '此项为必填项。' },
  FIELD_TYPE: { en: 'Expected {expected}.', zh: '应为{expected}。' },
  FIELD_UNKNOWN: { en: 'Unknown field {field}.', zh: '未知字段 {field}。' },
  FIELD_RANGE: { en: 'Must be between {min} and {max}.', zh: '须介于 {min} 与 {max} 之间。' },
  FIELD_PATTERN: { en: 'Does not match the expected format ({format}).', zh: '格式不符合要求（{format}）。' },
};
