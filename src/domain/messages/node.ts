// Messages of the node-report endpoint (NODE_*): what a node agent is told when the server refuses
// its report or its token; field problems inside a report reuse FIELD_* and GPU_REPORT_*.
import type { MessageCatalogue } from './types.js';

export const nodeMessages: MessageCatalogue = {
  NODE_TOKEN_UNKNOWN: {
    en: 'This node token is not known: it was revoked, or the node’s cluster was deleted. The agent stops.',
    zh: '该节点令牌无效：已被吊销，或节点所属集群已删除。节点代理将停止运行。',
  },
  NODE_REPORT_INVALID: {
    en: 'The node report has {count} problem(s); nothing was stored.',
    zh: '节点上报内容有 {count} 个问题，未保存任何内容。',
  },
};
