// Every console form control carries the seed's field name (issue 6, M15–M61): on each wizard step, in
// zh-CN and in en, real Chromium must give every input, select, checkbox, radio and switch a non-empty
// accessible name, and each field the seed names must be found by that name (revealing conditional ones).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Credentials } from '../src/api/client.js';
import {
  browserAvailable,
  choose,
  ensureConsoleBuilt,
  launchBrowser,
  startConsoleServer,
} from './support/browser.js';
import type { TestServer } from './support/test-server.js';

const ADMIN: Credentials = {
  accessKeyId: 'LTAIconsolelabels001',
  accessKeySecret: 'console-labels-secret-0001',
};
const PASSWORD = 'console labels password';
const run = browserAvailable();

type Lang = 'zh-CN' | 'en';
/** How a seed field is looked up: by its label (a form control), or by role and name (groups, radios). */
type Kind = 'label' | 'radiogroup' | 'radio' | 'group';

interface SeedField {
  readonly zh: string;
  readonly en: string;
  readonly kind: Kind;
}

const f = (zh: string, en: string, kind: Kind = 'label'): SeedField => ({ zh, en, kind });
const text = (lang: Lang, s: { zh: string; en: string }) => (lang === 'en' ? s.en : s.zh);

/**
 * The seed's field names per wizard step (create-managed-gpu-cluster.zh-CN.md, 操作步骤 5–9), with
 * the English the console shows for each. Written out here, not read from the console's glossary, so
 * that a console drifting from the seed fails this test.
 */
const SEED = {
  cluster: [
    f('集群名称', 'Cluster name'),
    f('集群规格', 'Cluster edition', 'radiogroup'),
    f('地域', 'Region'),
    f('资源组', 'Resource group'),
    f('Kubernetes版本', 'Kubernetes version'),
    f('容器运行时', 'Container runtime'),
    f('专有网络', 'VPC', 'radiogroup'),
    f('虚拟交换机', 'vSwitches', 'group'),
    f('可用区', 'Zone'),
    f('网络插件', 'Network plugin', 'radiogroup'),
    f('节点IP数量', 'IPs per node'),
    f('Pod网络CIDR', 'Pod CIDR'),
    f('Service CIDR', 'Service CIDR'),
    f('配置SNAT', 'Configure SNAT'),
    f('为专有网络配置SNAT', 'Configure SNAT for the VPC'),
    f('API Server访问', 'API server access'),
    f('使用EIP暴露API Server', 'Expose API server with an EIP'),
    f('RDS白名单', 'RDS whitelist'),
    f('安全组', 'Security group', 'radiogroup'),
    f('自动创建普通安全组', 'Create a basic security group', 'radio'),
    f('自动创建企业级安全组', 'Create an advanced security group', 'radio'),
    f('选择已有安全组', 'Use an existing security group', 'radio'),
    f('集群删除保护', 'Deletion protection'),
    f('时区', 'Time zone'),
    f('kube-proxy代理模式', 'kube-proxy mode', 'radiogroup'),
    f('标签', 'Tags', 'group'),
    f('集群本地域名', 'Cluster local domain'),
    f('自定义证书SAN', 'Custom certificate SANs'),
    f('服务账户令牌卷投影', 'Service account token volume projection'),
    f('Secret落盘加密', 'Secret encryption at rest'),
    f('选择KMS密钥', 'Use a KMS key'),
  ],
  /** Network plugin Terway: the Terway mode and its exclusive-ENI option. */
  terway: [
    f('Terway模式', 'Terway mode'),
    f('Pod独占弹性网卡以获得最佳性能', 'Give each pod an exclusive ENI for best performance'),
  ],
  /** An existing VPC: its vSwitches are chosen from a list (by zone). */
  existingVpc: [f('专有网络', 'VPC', 'radiogroup'), f('虚拟交换机', 'vSwitches')],
  workers: [
    f('新增实例', 'Create instances', 'radio'),
    f('添加已有实例', 'Add existing instances', 'radio'),
    f('付费类型', 'Billing method', 'radiogroup'),
    f('按量付费', 'Pay-as-you-go', 'radio'),
    f('包年包月', 'Subscription', 'radio'),
    f('实例规格', 'Instance type'),
    f('数量', 'Quantity'),
    f('系统盘', 'System disk'),
    f('性能级别', 'Performance level'),
    f('开启云盘备份', 'Back up the disk'),
    f('挂载数据盘', 'Data disks', 'group'),
    f('操作系统', 'Operating system'),
    f('登录方式', 'Logon type', 'radiogroup'),
    f('密钥对', 'Key pair'),
    f('新建密钥对', 'Create a key pair', 'radio'),
    f('实例保护', 'Instance protection'),
    f('实例自定义数据', 'Instance user data'),
    f('自定义镜像', 'Custom image'),
    f('自定义节点名称', 'Custom node name'),
    f('CPU Policy', 'CPU policy', 'radiogroup'),
    f('污点（Taints）', 'Taints', 'group'),
  ],
  /** Existing instances: then only the OS, the login and the key pair are set. */
  existingInstances: [
    f('操作系统', 'Operating system'),
    f('登录方式', 'Logon type', 'radiogroup'),
    f('密钥对', 'Key pair'),
  ],
  subscription: [f('购买时长', 'Subscription duration'), f('自动续费', 'Auto-renewal')],
  dataDisk: [f('加密', 'Encrypted')],
  password: [f('登录密码', 'Logon password'), f('确认密码', 'Confirm password')],
  nodeName: [f('前缀', 'Prefix'), f('IP地址段长度', 'IP digits'), f('后缀', 'Suffix')],
  components: [
    f('Ingress', 'Ingress'),
    f('安装Ingress组件', 'Install the Ingress controller'),
    f('创建Ingress Dashboard', 'Create an Ingress dashboard'),
    f('存储插件', 'Storage plugin', 'radiogroup'),
    f('监控插件', 'Monitoring plugins'),
    f('在ECS节点上安装云监控插件', 'Install the CloudMonitor agent on the nodes'),
    f('使用Prometheus监控服务', 'Use Prometheus monitoring'),
    f('报警配置', 'Alerting'),
    f('使用默认报警模板配置报警', 'Use the default alert rule template'),
    f('日志服务', 'Log Service'),
    f('使用日志服务', 'Use Log Service'),
    f('安装node-problem-detector并创建事件中心', 'Install node-problem-detector and create an event center'),
    f('控制平面组件日志', 'Control-plane component logs'),
    f('工作流引擎', 'Workflow engine'),
  ],
} as const;

/** The console's own words for the choices that reveal fields, and for moving between steps. */
const UI = {
  signIn: { zh: '登录', en: 'Sign in' },
  username: { zh: '用户名', en: 'User name' },
  password: { zh: '密码', en: 'Password' },
  nextWorkers: { zh: '下一步：Worker配置', en: 'Next: Workers' },
  nextComponents: { zh: '下一步：组件配置', en: 'Next: Components' },
  nextConfirm: { zh: '下一步：确认配置', en: 'Next: Confirm' },
  create: { zh: '创建集群', en: 'Create cluster' },
  existingVpc: { zh: '使用已有专有网络', en: 'Use an existing VPC' },
  createVpc: { zh: '创建专有网络', en: 'Create a VPC' },
  add: { zh: '添加', en: 'Add' },
  remove: { zh: '删除', en: 'Remove' },
  addDataDisk: { zh: '增加一块数据盘', en: 'Add a data disk' },
  loginPassword: { zh: '设置密码', en: 'Use a password' },
  loginKey: { zh: '设置密钥', en: 'Use a key pair' },
  saProjection: { zh: '开启服务账户令牌卷投影', en: 'Enable token volume projection' },
  nodeName: { zh: '开启自定义节点名称', en: 'Use custom node names' },
  controlPlaneLogs: { zh: '开启', en: 'Enable' },
  existingProject: { zh: '使用已有Project', en: 'Use an existing project' },
  createProject: { zh: '创建新Project', en: 'Create a project' },
  agreement: { zh: '服务协议', en: 'service agreement' },
} as const;

/** Roles of the controls that must have an accessible name (Chromium's accessibility tree). */
const CONTROL_ROLES = new Set([
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'checkbox',
  'radio',
  'radiogroup',
  'switch',
  'spinbutton',
  'slider',
]);
/** antd's default names of a table's selection boxes: English only, and they do not say which row. */
const ANTD_DEFAULT_NAME = /^(Select row \d+|Row \d+ selected|Select all|Custom selection)$/;
const CONTROL_SELECTOR =
  'input, textarea, select, [role=combobox], [role=checkbox], [role=radio], [role=switch], [role=spinbutton]';

let server: TestServer;
let browser: Browser;
let url: string;

interface AXNode {
  ignored: boolean;
  role?: { value?: unknown };
  name?: { value?: unknown };
  backendDOMNodeId?: number;
}

/** Every control in the page whose accessible name (as Chromium computes it) is empty or antd's placeholder. */
async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const out: string[] = [];
    for (const n of nodes) {
      const role = typeof n.role?.value === 'string' ? n.role.value : '';
      if (n.ignored || !CONTROL_ROLES.has(role)) continue;
      const name = typeof n.name?.value === 'string' ? n.name.value.trim() : '';
      if (name !== '' && !ANTD_DEFAULT_NAME.test(name)) continue;
      let where = '?';
      if (n.backendDOMNodeId !== undefined) {
        const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: n.backendDOMNodeId });
        const { result } = await cdp.send('Runtime.callFunctionOn', {
          objectId: object.objectId,
          returnByValue: true,
          functionDeclaration: `function () {
            const item = this.closest('.ant-form-item');
            const label = item && item.querySelector('.ant-form-item-label');
            const cls = (this.getAttribute('class') || '').split(/\\s+/).filter(Boolean).slice(0, 2);
            return this.tagName.toLowerCase() + (this.id ? '#' + this.id : '') +
              cls.map((c) => '.' + c).join('') + (label ? ' in "' + label.textContent + '"' : '');
          }`,
        });
        where = String(result.value);
      }
      out.push(`${role}${name ? ` "${name}"` : ''} ${where}`);
    }
    return out;
  } finally {
    await cdp.detach();
  }
}

/** The control the seed field names, found the way a user of assistive technology would. */
function locate(page: Page, lang: Lang, field: SeedField): Locator {
  const name = text(lang, field);
  return field.kind === 'label'
    ? page.getByLabel(name, { exact: true })
    : page.getByRole(field.kind, { name, exact: true });
}

/** The name Chromium's accessibility tree gives the element (what a screen reader announces). */
async function chromiumName(page: Page, el: Locator): Promise<string> {
  await el.evaluate((e) => e.setAttribute('data-name-probe', ''));
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: root.nodeId,
      selector: '[data-name-probe]',
    });
    const { nodes } = (await cdp.send('Accessibility.getPartialAXTree', {
      nodeId,
      fetchRelatives: false,
    })) as { nodes: AXNode[] };
    const name = nodes[0]?.name?.value;
    return typeof name === 'string' ? name.replace(/\s+/g, ' ').trim() : '';
  } finally {
    await cdp.detach();
    await el.evaluate((e) => e.removeAttribute('data-name-probe'));
  }
}

/** The texts of the labels of a labelable element (a checkbox has the field's and its own). */
function labelTexts(el: Locator): Promise<string[]> {
  return el.evaluate((e) =>
    Array.from((e as HTMLInputElement).labels ?? [], (l) =>
      (l.textContent ?? '').replace(/\s+/g, ' ').trim(),
    ),
  );
}

/**
 * What is wrong with the seed fields on the page: not found by their name, found on something that is
 * no form control, or announced by Chromium with more than their labels (a required mark, a colon).
 */
async function fieldProblems(page: Page, lang: Lang, fields: readonly SeedField[]): Promise<string[]> {
  const problems: string[] = [];
  for (const field of fields) {
    const name = text(lang, field);
    let shown: Locator | undefined;
    for (const el of await locate(page, lang, field).all())
      // antd hides a radio's or checkbox's input visually: its wrapper label shows it.
      if (
        (await el.isVisible()) ||
        (await el.evaluate((e) => e.closest('label')?.checkVisibility() ?? false))
      ) {
        shown = el;
        break;
      }
    if (!shown) {
      problems.push(`missing ${field.kind} "${name}"`);
      continue;
    }
    if (field.kind === 'label' && !(await shown.evaluate((e, sel) => e.matches(sel), CONTROL_SELECTOR))) {
      problems.push(`label "${name}" names no form control`);
      continue;
    }
    // Each label once: a checkbox whose text repeats its field's name must not be announced twice.
    const expected = field.kind === 'label' ? [...new Set(await labelTexts(shown))].join(' ') || name : name;
    const announced = await chromiumName(page, shown);
    if (announced !== expected) problems.push(`"${name}" is announced as "${announced}", not "${expected}"`);
  }
  return problems;
}

interface Report {
  readonly lang: Lang;
  readonly problems: string[];
}

/** Checks one view of a step: every control named, every seed field of `fields` found. */
async function check(page: Page, r: Report, view: string, fields: readonly SeedField[]): Promise<void> {
  // Revealed fields render after the click; a field still missing after a few seconds is reported.
  for (const field of fields)
    await locate(page, r.lang, field)
      .first()
      .waitFor({ state: 'attached', timeout: 3_000 })
      .catch(() => undefined);
  for (const u of await unnamedControls(page)) r.problems.push(`${view}: unnamed ${u}`);
  for (const m of await fieldProblems(page, r.lang, fields)) r.problems.push(`${view}: ${m}`);
}

async function clickRadio(page: Page, lang: Lang, option: { zh: string; en: string }): Promise<void> {
  await page.getByRole('radio', { name: text(lang, option), exact: true }).check();
}

async function signIn(lang: Lang): Promise<Page> {
  const context = await browser.newContext({ locale: lang === 'en' ? 'en-US' : 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${url}/console/clusters/new`);
  await page.getByLabel(text(lang, UI.username)).fill('admin');
  await page.getByLabel(text(lang, UI.password), { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: text(lang, UI.signIn) }).click();
  await page.getByRole('button', { name: text(lang, UI.nextWorkers) }).waitFor();
  return page;
}

async function next(page: Page, lang: Lang, button: { zh: string; en: string }, after: string) {
  await page.getByRole('button', { name: text(lang, button) }).click();
  try {
    await page.getByRole('button', { name: after }).waitFor({ timeout: 10_000 });
  } catch {
    const errors = await page.locator('.ant-form-item-explain-error, .ant-alert-message').allTextContents();
    throw new Error(`the wizard stayed on its step: ${errors.join(' | ')}`);
  }
}

/** The seed field named `zh`, in `lang`. */
function seed(lang: Lang, zh: string): string {
  const found = Object.values(SEED)
    .flat()
    .find((x) => x.zh === zh);
  if (!found) throw new Error(`no seed field ${zh}`);
  return text(lang, found);
}

async function clusterStep(page: Page, r: Report): Promise<void> {
  const { lang } = r;
  await check(page, r, '集群配置', SEED.cluster);
  await page.getByRole('radio', { name: 'Terway', exact: true }).check();
  await check(page, r, '集群配置 (Terway)', SEED.terway);
  await page.getByLabel(text(lang, UI.saProjection), { exact: true }).check();
  await page.getByLabel(seed(lang, '选择KMS密钥'), { exact: true }).check();
  await page.getByRole('button', { name: text(lang, UI.add), exact: true }).click();
  await page.getByRole('radio', { name: seed(lang, '选择已有安全组'), exact: true }).check();
  await clickRadio(page, lang, UI.existingVpc);
  await check(page, r, '集群配置 (existing VPC, KMS, tag, token projection)', SEED.existingVpc);
  // Back to a valid first step: a fresh wizard.
  await page.reload();
  await page.getByLabel(seed(lang, '集群名称'), { exact: true }).fill(`labels-${lang.slice(0, 2)}`);
  await choose(page, seed(lang, '可用区'), 'cn-hangzhou-i');
  await next(page, lang, UI.nextWorkers, text(lang, UI.nextComponents));
}

async function workersStep(page: Page, r: Report): Promise<void> {
  const { lang } = r;
  const radio = (zh: string) => page.getByRole('radio', { name: seed(lang, zh), exact: true }).check();
  await check(page, r, 'Worker配置', SEED.workers);
  await radio('添加已有实例');
  await check(page, r, 'Worker配置 (existing instances)', SEED.existingInstances);
  await radio('新增实例');
  await radio('包年包月');
  await check(page, r, 'Worker配置 (subscription)', SEED.subscription);
  await radio('按量付费');
  await page.getByRole('button', { name: text(lang, UI.addDataDisk) }).click();
  await check(page, r, 'Worker配置 (data disk)', SEED.dataDisk);
  await clickRadio(page, lang, UI.loginPassword);
  await check(page, r, 'Worker配置 (password)', SEED.password);
  await clickRadio(page, lang, UI.loginKey);
  await page.getByLabel(text(lang, UI.nodeName), { exact: true }).check();
  await page.getByRole('button', { name: text(lang, UI.add), exact: true }).click();
  await check(page, r, 'Worker配置 (node names, taint)', SEED.nodeName);
  // Back to a valid step: no custom node names, no taint, no data disk (each has one remove button).
  await page.getByLabel(text(lang, UI.nodeName), { exact: true }).uncheck();
  for (let i = 0; i < 2; i++)
    await page
      .getByRole('button', { name: text(lang, UI.remove), exact: true })
      .first()
      .click();
  await choose(page, seed(lang, '实例规格'), 'ecs.gn7i-c8g1.2xlarge');
  await page.getByLabel(seed(lang, '数量'), { exact: true }).fill('1');
  await page.getByLabel(seed(lang, '密钥对'), { exact: true }).fill(`labels-${lang.slice(0, 2)}`);
  await next(page, lang, UI.nextComponents, text(lang, UI.nextConfirm));
}

async function componentsStep(page: Page, r: Report): Promise<void> {
  const { lang } = r;
  await check(page, r, '组件配置', SEED.components);
  await page.getByLabel(text(lang, UI.controlPlaneLogs), { exact: true }).check();
  await clickRadio(page, lang, UI.existingProject);
  await check(page, r, '组件配置 (control-plane logs, existing project)', []);
  await clickRadio(page, lang, UI.createProject);
  await page.getByLabel(text(lang, UI.controlPlaneLogs), { exact: true }).uncheck();
  await page.getByRole('button', { name: text(lang, UI.nextConfirm) }).click();
  await page.getByTestId('estimated-cost').waitFor({ timeout: 30_000 });
}

async function confirmStep(page: Page, r: Report): Promise<void> {
  await check(page, r, '确认配置', []);
  // M61: the service agreement is a checkbox named by its text.
  const agreement = page.getByRole('checkbox', { name: text(r.lang, UI.agreement) });
  if ((await agreement.count()) !== 1) r.problems.push('确认配置: missing checkbox "服务协议"');
}

describe.skipIf(!run)('console form labels in Chromium (issue 6)', () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startConsoleServer(ADMIN, { adminPassword: PASSWORD, keyPair: 'existing-key' });
    url = server.server.url;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const lang of ['zh-CN', 'en'] as const)
    it(`M15–M61 ${lang}: every wizard control has an accessible name, each seed field is found by its name`, async () => {
      const r: Report = { lang, problems: [] };
      const page = await signIn(lang);
      // The detector itself: an input without a label, added to the page, is reported.
      await page.evaluate(() =>
        document.body.append(Object.assign(document.createElement('input'), { id: 'probe' })),
      );
      expect(await unnamedControls(page)).toContain('textbox input#probe');
      await page.evaluate(() => document.getElementById('probe')?.remove());
      await clusterStep(page, r);
      await workersStep(page, r);
      await componentsStep(page, r);
      await confirmStep(page, r);
      await page.context().close();
      expect(r.problems).toEqual([]);
    }, 120_000);
});
