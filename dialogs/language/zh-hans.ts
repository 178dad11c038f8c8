/** Simplified Chinese: every sentence Redress says to a customer (Traditional is derived from it). */
import type { LanguagePack } from './pack.ts';
import { zonedTime } from './zoned-time.ts';

const weekdays = ['日', '一', '二', '三', '四', '五', '六'];

/** The Simplified Chinese pack. */
export const zhHans: LanguagePack = {
  greeting: '您好，我负责受理您的投诉，并确保转到正确的部门。请告诉我发生了什么。',
  apology: {
    ordinary: ['非常抱歉给您带来了不好的体验。', '真的很抱歉，也谢谢您花时间告诉我们。', '很抱歉给您添麻烦了。'],
    serious: [
      '非常抱歉，这个问题很严重，我完全理解您的心情。',
      '真的非常抱歉，这本不应该发生，我们一定会尽力解决。',
      '实在抱歉，让您这么烦心，您应该得到更好的服务。',
    ],
    urgent: ['万分抱歉，您描述的情况很严重，我会按紧急事项处理。', '非常非常抱歉，这件事很严重，我们会优先处理。'],
  },
  urgentSafety: '如果现在有人身危险或受伤，请先拨打急救电话。',
  restate: (p) => {
    const extras = [
      p.subject && `涉及${p.subject}`,
      p.when && `发生在${p.when}`,
      p.amount && `涉及金额${p.amount}`,
      p.want && `您希望${p.want}`,
    ].filter(Boolean);
    return `${p.what}${/[。？！…?!]$/.test(p.what) ? '' : '。'}${extras.length ? `${extras.join('，')}。` : ''}`;
  },
  problems: {
    unsafe: (s, d) => `${s ?? '我们提供的商品'}存在安全隐患${d ? `（${d}）` : ''}`,
    cannot_cancel: (s) => `您一直无法取消${s ?? ''}`,
    account_access: (s) => `您无法登录${s ?? '您的账户'}`,
    out_of_stock: (s) => `${s ?? '您想要的商品'}买不到`,
    damaged: (s) => `${s ?? '您收到的商品'}有损坏`,
    not_arrived: (s) => `${s ?? '您的订单'}还没有送到`,
    delayed: (s) => `${s ?? '您的订单'}被耽误了`,
    wrong_item: (s) => `我们${s ? `在${s}上` : ''}发错了商品`,
    missing_item: (s) => `${s ?? '您的订单'}少了东西`,
    not_working: (s) => `${s ?? '商品'}不能正常使用`,
    slow: (s) => `${s ?? '商品'}的表现不如预期`,
    outage: (s) => `${s ?? '服务'}中断了`,
    missed_appointment: () => '约好的上门服务我们没有做到',
    poor_quality: (s) => `${s ?? '商品'}没有达到您的期望`,
    not_genuine: (s) => `您怀疑${s ?? '商品'}不是正品`,
    not_as_described: (s) => `${s ?? '商品'}与我们的描述不符`,
    size_fit: (s) => `${s ?? '商品'}的尺寸不合适`,
    poor_condition: (s) => `${s ?? '商品'}的状况让您无法接受`,
    double_charged: () => '我们重复扣了您的费用',
    charged_wrong: () => '我们扣错了您的费用',
    refund_pending: () => '您的退款还没有到账',
    money_missing: (_s, d) => `${d ?? '款项'}还没有到账`,
    price: (s) => (s ? `您对${s}的价格不满意` : '您对价格不满意'),
    cancelled: (s) => `${s ?? '您的订单'}被取消了`,
    staff_rude: () => '我们的工作人员态度不好',
    no_response: () => '您一直没能从我们这里得到答复',
  },
  and: '，而且',
  checkUnderstood: (r) => `我确认一下：${r}`,
  confirmQuestion: '我理解得对吗？如果不对，请直接告诉我需要更正什么。',
  askWhatWrong: '请告诉我具体发生了什么，是什么时候的事？',
  askCorrection: '抱歉我理解错了，需要更正哪里？',
  thanksConfirmed: '谢谢您的确认。',
  ask: {
    description: '能说一下具体发生了什么吗？',
    product: '这是关于哪个产品或服务的？',
    occurredOn: '这是什么时候发生的？写日期或者“上周二”这样都可以。',
    orderNumber: '您有订单号、预订号或账号吗？如果没有，回复“没有”即可。',
    resolution: '您希望我们怎样处理？比如退款、换货、维修或者道歉。',
    name: '请问您怎么称呼？',
    contact: '方便留一个邮箱或手机号码，以便我们联系您吗？',
  },
  askContactForHandoff: '好的，我会转给我们的工作人员。请留下邮箱或手机号码，方便他们联系您。',
  invalidEmail: (v) => `“${v}”看起来不是完整的邮箱地址，麻烦您再核对一下，格式类似 name@example.com。`,
  invalidPhone: (v) => `“${v}”好像不是有效的电话号码，麻烦您再发一次（境外号码请加国家区号，例如 +86 138 0013 8000）。`,
  invalidDate: '我没能看出具体日期，能否写成“3月3日”或“上周五”这样的形式？',
  unknownAnswer: (f) => `抱歉，我没太明白。${zhHans.ask[f]}`,
  updated: (fields) => `谢谢，我已更新了${zhHans.list(fields)}。`,
  noted: (fields, name) => `谢谢${name ? `，${name}` : ''}，已记下您的${zhHans.list(fields)}。`,
  fieldNames: {
    description: '问题描述',
    product: '产品',
    occurredOn: '日期',
    orderNumber: '订单号',
    resolution: '处理诉求',
    name: '姓名',
    contact: '联系方式',
    email: '邮箱',
    phone: '电话号码',
    amount: '金额',
  },
  ticketOpened: (p) =>
    `谢谢您。您的投诉已登记，编号 ${p.reference}，已转交${p.department}。登记内容：${p.summary}我们会在${p.due}之前联系您。如有新的情况，直接在这里留言，我会补充到您的投诉中。`,
  handoffOpened: (p) => `我已请工作人员接手。您的投诉编号是 ${p.reference}，我们会在${p.due}之前联系您。`,
  handoffNoted: (r) => `我已标记 ${r}，会有工作人员亲自联系您。`,
  cancelled: '好的，已经停止，没有登记任何投诉。如果您改变主意，随时再留言。',
  restarted: '没问题，我们重新开始。请告诉我发生了什么。',
  withdrawConfirm: (r) => `您要撤回投诉 ${r} 吗？请回答“是”或“不是”。`,
  withdrawn: (r) => `投诉 ${r} 已撤回。谢谢您告知，再次为给您带来的麻烦道歉。`,
  keepTicket: (r) => `好的，投诉 ${r} 继续处理中。`,
  offTopic: '抱歉，我是投诉受理助手，这个问题我在这里没法帮您解答。',
  botAnswer: '我是自动投诉助手。我会记下您的投诉，直接转给负责处理的团队；如果您想找人工，直接说就行。',
  sorryIfMissed: '抱歉，可能是我漏看了，我没能从您的消息里找到这一项。',
  processAnswer:
    '我记下几项信息后，会把您的投诉转给能解决问题的团队，他们可以视情况为您退款、换货、维修或道歉，我也会告诉您他们大概什么时候联系您。',
  abuse: '我能感受到您很生气，我是真心想帮您解决。请保持文明沟通，这样我才能尽快处理。',
  abuseHandoff: '我会请一位工作人员亲自跟进您的问题。',
  empty: '我没有收到文字内容，麻烦您再输入一次。',
  attachmentOnly: '文件已收到，会附在您的投诉中。能否再用几句话描述一下发生了什么？',
  tooLong: (max) => `您的消息很长，我先阅读了前 ${max} 个字符。如果后面还有重要内容，请分开发送。`,
  ticketUpdate: (p) => `谢谢，我已把这些补充到投诉 ${p.reference}。我们会在${p.due}之前联系您。`,
  ticketStands: (p) =>
    `好的。您的投诉 ${p.reference} 已在我们团队处理中，我们会在${p.due}之前联系您。如需补充，请直接在这里留言。`,
  ticketNext: (p) =>
    `您的投诉 ${p.reference} 已转给负责的团队。他们会调查，并在${p.due}之前联系您，视情况为您退款、换货、维修或致歉。`,
  welcomeBack: (r) => `欢迎回来。您的投诉 ${r} 仍在处理中。`,
  newComplaintHint: '如果是新的问题，请回复“新投诉”。',
  acknowledgement: (p) =>
    `特此确认：我们已收到您的投诉 ${p.reference}，目前由${p.department}处理，将在${p.due}之前联系您。`,
  satisfactionCheck: (r, qs) =>
    `您的投诉 ${r} 已处理完毕，想了解一下您对处理的感受。可以在一条消息里按任意顺序回答：\n${qs}`,
  secondFollowup: (r, qs) => `我们再次跟进投诉 ${r}，想确认现在是否已经处理好。可以在一条消息里按任意顺序回答：\n${qs}`,
  satisfactionThanks: (r) => `谢谢！很高兴 ${r} 已经圆满解决，感谢您的反馈。`,
  satisfactionNeutral: (r) => `感谢您对 ${r} 的反馈，我们会继续改进。`,
  satisfactionSorry: (r) => `很抱歉我们没能处理好。我已重新打开 ${r} 并请团队再次跟进，之后会再联系您。`,
  scoreUnclear: (q) => `抱歉，我没看明白。${q}`,
  surveyAskScore: (q) => `谢谢，已记下。还想请您打个分：${q}`,
  surveyNoted: (r) => `谢谢，您对 ${r} 的回答已记录。`,
  resolutions: {
    refund: '退款',
    replacement: '换货',
    repair: '维修',
    apology: '得到道歉',
    compensation: '得到赔偿',
    cancellation: '取消订单',
    delivery: '尽快收到货',
    explanation: '得到一个解释',
  },
  detailNames: {
    description: '发生了什么',
    product: '涉及的产品或服务',
    occurredOn: '发生的时间',
    orderNumber: '订单号、预订号或账号（没有请写“没有”）',
    resolution: '您希望我们怎样处理',
    name: '您的称呼',
    contact: '方便联系您的电话或邮箱',
  },
  letterUnderstood: (r) => `我理解的情况是：${r}`,
  letterOpened: (p) => `您的投诉已登记，编号 ${p.reference}，已转交${p.department}，我们会在${p.due}之前联系您。`,
  letterMissing: (items) => `为了尽快处理，请回复以下信息：\n${items.map((i) => `- ${i}`).join('\n')}`,
  letterCorrections: '如果以上内容有误，直接回复更正即可。',
  letterUpdated: (p) => `谢谢，已补充到投诉 ${p.reference}。我们会在${p.due}之前联系您。`,
  letterComplete: '我们需要的信息已经齐全。',
  attachmentRefused: (name, mb) => `您的附件“${name}”（${mb} MB）太大，我们无法保存。请发送小于 10 MB 的文件或链接。`,
  callUnderstood: (r) => `感谢您的来电。我们理解的情况是：${r}`,
  callNoComplaint: '这通电话中没有找到投诉内容，因此没有登记工单。',
  formatDate: (iso, now) => {
    const [y, m, d] = iso.split('-').map(Number);
    return `${y !== now.getUTCFullYear() ? `${y}年` : ''}${m}月${d}日`;
  },
  formatApproxDate: (iso, now) => `${zhHans.formatDate(iso, now)}前后`,
  formatDue: (iso, timeZone) => {
    const z = zonedTime(iso, timeZone);
    return `${z.month}月${z.day}日（星期${weekdays[z.weekday]}）${String(z.hour).padStart(2, '0')}:${String(z.minute).padStart(2, '0')}（${z.zone}）`;
  },
  list: (items) =>
    items.length <= 1 ? items.join('') : `${items.slice(0, -1).join('、')}和${items[items.length - 1]}`,
  wish(text) {
    return this.toSecondPerson(text);
  },
  // The customer's "我" is "您" to us; their "你们" (the company) is our "我们".
  toSecondPerson: (text) =>
    text
      .replace(/你们/g, '\u0000')
      .replace(/我们/g, '您')
      .replace(/我/g, '您')
      .replace(/你/g, '\u0000')
      .replace(/\u0000/g, '我们'),
};
