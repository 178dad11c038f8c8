/**
 * What went wrong, as one of the kinds of problem complaints are about ("arrived damaged", "no reply", "charged
 * twice"), so the restatement can say it in our own words instead of echoing the customer's. The cues are read on the
 * customer's story (cut to its limit, Traditional converted to Simplified); the words we say are in the language
 * packs. A story no cue fits is restated from its own words.
 */
import { z } from 'zod';
import { splitSentences } from './sentences.ts';
import { DELIVERY_WORD, MONEY_EN, MONEY_ZH } from './problem-details.ts';
import { simplifiedOf } from './simplified.ts';

/** The kinds of problem the restatement can name. */
export const problemKindSchema = z.enum([
  'unsafe',
  'double_charged',
  'cannot_cancel',
  'account_access',
  'out_of_stock',
  'damaged',
  'not_arrived',
  'delayed',
  'wrong_item',
  'missing_item',
  'not_working',
  'slow',
  'outage',
  'missed_appointment',
  'poor_quality',
  'not_genuine',
  'not_as_described',
  'size_fit',
  'poor_condition',
  'charged_wrong',
  'refund_pending',
  'money_missing',
  'price',
  'cancelled',
  'staff_rude',
  'no_response',
]);
/** One kind of problem. */
export type ProblemKind = z.infer<typeof problemKindSchema>;

// An engineer who never came is a visit we missed, not an order that never arrived.
const MISSED_EN =
  /\b(?:(?:engineer|technician|installer|fitter|plumber|electrician|repair ?man|workm[ae]n|contractor)s? (?:who |that )?(?:never|didn't|did not|hasn't|has not|haven't|have not|failed to) (?:show(?:ed)? up|turn(?:ed)? up|come|came|arrive[ds]?|attend(?:ed)?)|missed (?:the |my |our )?(?:appointment|visit)|no-show|(?:engineer|technician|installer|fitter|plumber|electrician)s?\b[^.!?]{0,60}\bnever (?:came|showed up|turned up))\b/i;
const MISSED_ZH = /师傅.{0,4}(?:没来|没有来|爽约)|(?:上门|预约).{0,6}(?:没来|没人来|爽约)|放鸽子/;

// English cues, each a list of literal phrases or short patterns with a fixed shape (linear: no nested quantifiers).
const EN: Array<[ProblemKind, RegExp]> = [
  // A hazard comes first: "it sparked and smelled of burnt plastic" is a safety risk before it is anything else.
  [
    'unsafe',
    /\b(?:smok(?:e|ed|es|ing)|spark(?:s|ed|ing)?|caught fire|on fire|burst into flames|flames|overheat\w*|melt(?:ed|ing|s)?|explod\w*|explosion|electric shock|shocked me|electrocut\w*|short[- ]circuit\w*|gas leak|carbon monoxide|fire hazard|safety (?:hazard|risk|issue)|unsafe|not safe|dangerous|injur(?:ed|y|ies)|food poisoning|allergic reaction|swallow(?:ed|ing)?|chok(?:e|ed|ing)|rash(?:es)?|smell(?:s|ed|ing)? (?:of )?gas|smelt (?:of )?gas|gas smell|wrong (?:medication|medicine|prescription|tablets|pills|dose)|(?:glass|shards?|metal|a needle) in (?:my|the|our|his|her)|cut (?:my|his|her) (?:mouth|tongue|lip|gums?)|hospitali[sz]ed|in hospital|to hospital)\b/i,
  ],
  ['money_missing', MONEY_EN],
  [
    'refund_pending',
    /\b(?:no refund|refund (?:has not|hasn't|never|still|not)|refund (?:for|on|of) [^.!?]{0,40}?\b(?:has not|hasn't|never|still not|is not|isn't|not yet) (?:yet )?(?:arrived|come|been paid|been issued|been processed|been credited|showing|shown)|still (?:waiting for|no|not received) (?:my|a|the|any)? ?refund|where is my refund|haven't (?:had|got|received) (?:my|a|the) refund)/i,
  ],
  [
    'double_charged',
    /\b(?:charged (?:me |us )?(?:twice|double|two times)|double[- ]charged|billed (?:me |us )?twice|paid twice|charged for the same (?:thing|order|item) twice)/i,
  ],
  [
    'charged_wrong',
    /\b(?:(?:my |the |your )?bill (?:is |was )?(?:still )?(?:messed up|wrong|incorrect)|overbill\w*|(?:don't|do not|didn't|did not|never) (?:recall )?(?:plac\w+|ma[dk]e|authori[sz]e\w*) (?:any|an|this|that|the) (?:order|payment|purchase)|charged (?:me )?(?:again|too much|more|incorrectly|wrongly)|double[- ]charged|overcharged|charged for (?:something|a|an) (?:i|we) (?:didn't|did not|never)|wrong (?:amount|charge|bill)|unauthori[sz]ed (?:charge|payment|transaction)|billed (?:twice|wrongly|incorrectly))/i,
  ],
  [
    'damaged',
    /\b(?:arrived|came|was delivered|delivered) (?:broken|damaged|cracked|smashed|dented|torn|crushed|leaking)|\b(?:broken|damaged|cracked|smashed|dented|shattered) (?:on arrival|when it arrived|in the box)|\bdamaged\b|\bcracked\b|\bsmashed\b|\bdented\b/i,
  ],
  [
    'not_arrived',
    /\b(?:never (?:arrived|came|got it|received|showed up|turned up)|(?:has|have|had)n't (?:arrived|come|been delivered|received)|has not (?:arrived|come|been delivered)|not (?:yet )?(?:arrived|delivered|received)|didn't (?:arrive|come|get (?:it|my|the))|no sign of|still (?:waiting for (?:my|the|our) (?:order|parcel|package|delivery|item|refund)|hasn't (?:arrived|come)|not here)|where is my (?:order|parcel|package|delivery)|(?:lost|losing) (?:my|the|our) (?:parcel|package|order|delivery|luggage|baggage|bag|suitcase)|got lost)/i,
  ],
  [
    'cannot_cancel',
    /\b(?:(?:hard|difficult|impossible|unable|able|trying) to cancel|(?:can't|cannot|couldn't) cancel|won't let (?:me|us) cancel)\b/i,
  ],
  // Cancelled on the customer ("my flight was cancelled", "you cancelled my order"), not by them: "charged for a
  // subscription I cancelled" is a charge after cancelling.
  [
    'cancelled',
    /\b(?:(?:was|were|been|got|is|are) cancell?ed|(?:you|they|it|airline|company) cancell?ed|cancell?ed (?:my|our|the) (?:flight|train|booking|order|appointment|reservation|trip|event|class|show|ticket)s?|(?:flight|train|booking|order|appointment|reservation|event|show|class)s? (?:cancell?ed|cancell?ation))\b/i,
  ],
  [
    'account_access',
    /\b(?:password (?:is not|isn't|not) (?:accepted|working)|won't (?:take|accept) my (?:subscription |new )?password|(?:can't|cannot|couldn't|unable to|won't let me) (?:log ?in|sign ?in|log on|access)|logging me out|logs? me out|locked out|account (?:is |was |has been )?(?:locked|suspended|blocked|hacked|closed)|password (?:doesn't|won't|isn't) work)/i,
  ],
  [
    'out_of_stock',
    /\b(?:(?:isn't|is not|not|stopped) selling|out of stock|back in stock|sold out|restock\w*|discontinued|no longer (?:sell|available|stock)|(?:any|getting any) more [a-z]+ (?:in|left)|any left)\b/i,
  ],
  [
    'wrong_item',
    /\b(?:wrong (?:item|size|colou?r|product|order|model|one|thing)|not what (?:i|we) ordered|sent (?:me )?the wrong|different (?:item|product|model))/i,
  ],
  [
    'missing_item',
    /\b(?:empty (?:bag|box|package|parcel)|none (?:were|was) (?:there|in it)|missing|(?:was|were) not (?:in|included)|wasn't included|weren't included|left out|only (?:got|received) (?:one|two|half|part))\b/i,
  ],
  [
    'no_response',
    /\b(?:(?:not|haven't|have not|never) heard back|hangs? up on|(?:waiting|still waiting) for (?:your|a|any) (?:reply|response|answer|call)|how (?:do|can|should) (?:i|we) (?:contact|reach|get in touch|get hold)|(?:unable|trying|tried) to (?:contact|reach|send you|get hold)|(?:can't|cannot|couldn't) (?:contact|reach|get hold of|get through)|get in (?:contact|touch) with someone|(?:no one|nobody) has dealt with|(?:hasn't|has not|haven't) been dealt with|still no word|no (?:reply|response|answer|one (?:answers|replied|responded|to help|here))|(?:nobody|no one|no-one) (?:answers|answered|replied|responded|called (?:me |us )?back|got back|has (?:replied|responded|got back|called)|will (?:help|fix))|(?:ignored|ignoring) (?:me|us|my)|can't get through|cannot get through|never (?:replied|responded|called back|got back)|(?:no|never) (?:call|email) back|(?:haven't|have not|still not) heard|dead end|tried (?:calling|emailing|leaving)|voicemail)\b/i,
  ],
  [
    'staff_rude',
    /\b(?:appalling|demeaning|(?:no|zero) respect|unorgani[sz]ed|rude|unhelpful|unprofessional|hung up|shouted|yelled|attitude|disrespectful|condescending|arrogant|useless staff|worst customer service|terrible (?:customer )?service|poor (?:customer )?service|bad (?:customer )?service)\b/i,
  ],
  [
    'delayed',
    /\b(?:(?:still )?no tracking|(?:isn't|is not|not) expected (?:to be delivered|until)|takes? longer|can't keep to it|delay(?:ed|s)?|late|hours? late|overdue|took (?:weeks|days|ages|forever)|still waiting)\b/i,
  ],
  [
    'size_fit',
    /\b(?:too (?:large|small|big|tight|loose|slim|short|long)|doesn't fit|does not fit|didn't fit|sizing|wrong size)\b/i,
  ],
  [
    'not_working',
    /\b(?:(?:isn't|is not|not) letting (?:me|us)|won't let (?:me|us)|(?:doesn't|does not|won't|will not) (?:display|show|load|respond|change|open)|no worky|keeps telling (?:me|us)|fix (?:it|this|that)\b|(?:problems?|issues?|trouble) (?:with|on) (?:your|the|my|our|this)|flicker\w*|turns? (?:itself )?off|(?:stopped|stops|stop|quit) working|(?:doesn't|does not|didn't|did not|won't|will not|wouldn't|can't|cannot) (?:work|turn on|start|charge|load|open|connect|restart|play|log in|print)|not working|broke|broken|faulty|defective|crash(?:es|ed|ing)?|freez(?:es|ing)|keeps? (?:crashing|freezing|dropping|stopping)|dead on arrival|stopping midway|malfunction\w*|glitch\w*|bug(?:gy|s)?|error message)\b/i,
  ],
  [
    'slow',
    /\b(?:too slow|so slow|very slow|slow(?:ly)?|lag(?:s|gy|ging)?|killing (?:my|the) battery|battery (?:drain\w*|dies|life))\b/i,
  ],
  [
    'outage',
    /\b(?:power (?:is |was |has been )?(?:out|off)|power outages?|blackouts?|power (?:will be|to be|be) restored|no (?:power|internet|signal|connection|service|reception|water|heating)|(?:internet|service|website|site|app|network|wifi|broadband|phone line|line) (?:is |was |has been |been |being |went |goes |keeps going )?(?:down|out)|outage|lose reception|lost (?:power|connection|signal))\b/i,
  ],
  ['missed_appointment', MISSED_EN],
  ['not_genuine', /\b(?:fake|counterfeit|not genuine|knock-?off|not authentic|not the real)\b/i],
  [
    'not_as_described',
    /\b(?:(?:below|less than|worse than) (?:what (?:is|was|they) )?advertised|not as (?:described|advertised|pictured|shown)|misleading|false advertising|nothing like the (?:picture|photo|description)|false (?:claim|promise)s?|lied|bait and switch)\b/i,
  ],
  [
    'poor_condition',
    /\b(?:dirty|filthy|smell(?:s|y|ed)?|stink\w*|noisy|cold food|food (?:was|is) cold|stale|expired|mou?ldy|rotten|off milk|gone off|unclean|bugs in|cockroach\w*)\b/i,
  ],
  [
    'price',
    /\b(?:cheaper|price match\w*|match (?:online |their )?prices|more expensive|overpriced|too expensive|so expensive|rip-?off|price (?:went up|increase|hike)|hidden (?:fees?|charges?)|extra (?:fees?|charges?)|caps?|(?:is|was|are) (?:normally|usually) (?:only |just |about |around )?(?:[$£€]\s?)?\d+)\b/i,
  ],
  [
    'poor_quality',
    /\b(?:suck\w*|misery|#?fail\b|waste of (?:time|money)|poor quality|bad quality|low quality|cheaply made|fell apart|falls apart|rubbish|terrible|awful|horrible|worst|useless|disappointing|disappointed|not happy|unhappy|a disgrace|crap|garbage|junk)\b/i,
  ],
];

// Chinese cues on Simplified text (literals only).
const ZH: Array<[ProblemKind, RegExp]> = [
  [
    'unsafe',
    /冒烟|冒火花|火花|着火|起火|自燃|爆炸|短路|漏电|触电|燃气泄漏|煤气泄漏|煤气味|燃气味|过热|烧焦|焦味|糊味|烫伤|烧伤|受伤|食物中毒|安全隐患|危险|误吞|吞下|窒息|噎|起疹子|疹子|拿错药|发错药|用错药|玻璃渣|碎玻璃|玻璃碴|住院/,
  ],
  // Broke after a few uses: it stopped working, not damage in transit (坏了 alone is either).
  ['not_working', /用了.{0,8}坏了|没用几次就坏|没几天就坏|(?:几|两|三)天就坏/],
  ['refund_pending', /没有?返钱|退款.{0,6}(?:没|还没|未)|(?:没|还没|未).{0,4}退款|钱.{0,4}没退/],
  ['money_missing', MONEY_ZH],
  ['double_charged', /重复扣|扣了两次|扣了两遍|重复收费|收了两次/],
  ['charged_wrong', /多扣|乱扣|多收|乱收费|扣错/],
  ['damaged', /断了|压断|折断|坏了|损坏|破损|碎了|碎的|摔坏|压坏|烂了|破了|裂了|漏水|漏液|变形/],
  ['not_arrived', /没收到|还没到|还没收到|没到货|没发货|还没发|丢件|丢了|不发货/],
  ['delayed', /太慢了|发货慢|物流慢|送货慢|延迟|拖了|等了(?:好|很)?久|迟迟/],
  ['wrong_item', /发错|错发|不是我买的|货不对/],
  ['missing_item', /少发|漏发|少了|缺了|没有配|不全|缺页|掉页|掉落/],
  ['size_fit', /太小|太大|尺码|偏大|偏小|不合身/],
  [
    'not_working',
    /不能用|用不了|没法用|不好用|死机|卡死|卡的|卡顿|闪退|重启|自动关机|黑屏|失灵|故障|不工作|打不开|开不了机|走音|杂音|听不清|漏接|贴不平|不好使/,
  ],
  ['slow', /运行速度太慢|速度慢|很慢|太慢|反应慢|不耐用|不经用|耗电|没电/],
  ['outage', /停电|断网|没信号|没有信号|网络断/],
  ['missed_appointment', MISSED_ZH],
  ['not_genuine', /假货|假的|不是正品|山寨|盗版|仿冒|不一定.{0,4}真/],
  ['not_as_described', /与描述不符|和描述不符|跟描述不一样|和图片不一样|虚假宣传|不符|骗人|欺骗|忽悠/],
  ['poor_condition', /脏|异味|臭|发霉|不新鲜|变质|过期|吵|噪音/],
  ['cannot_cancel', /取消不了|无法取消|退订不了|没法取消|不让取消/],
  [
    'cancelled',
    /被取消|(?:航班|订单|预订|预约|火车|车次|演出|课程|活动)(?:已经|已|又)?取消了|把(?:我的?)?(?:订单|预订|预约|航班)取消/,
  ],
  ['account_access', /登录不了|无法登录|登不上|登陆不了|账号被封|账号被盗|被冻结/],
  ['out_of_stock', /缺货|断货|没货|下架|买不到/],
  ['staff_rude', /态度差|态度不好|态度恶劣|服务差|服务态度|骂人|爱理不理|不耐烦|客服.{0,3}(?:差|不好|烂|垃圾)/],
  [
    'no_response',
    /不回复|不回|没人理|没人管|没回复|联系不上|打不通|不接电话|没人接|推给|推卸|踢皮球|根本不管|不管不问|不处理/,
  ],
  ['price', /太贵|好贵|贵了|价格高|降价太快|乱收费|安装费|不值这个价/],
  [
    'poor_quality',
    /差评|一星|零分|不满意|不推荐|不好看|不实用|不客观|不方便|太麻烦|太琐碎|乱七八糟|浪费|上当|无聊|缺陷|谬误|名不副实|言过其实|一般般|内容一般|没什么用|没什么意思|不吸引|不行|旧旧的|质量差|质量不好|质量太差|太差|很差|垃圾|烂|失望|不实用|没意思|不够|一般般|劣质|差劲|后悔|不值得|倒霉/,
  ],
];

// Past this a story says more than a restatement needs; the kinds are named early.
const READ_CHARS = 1200;

// What made it unsafe, each said once in the order of the list: "smoke and sparks", "冒烟、火花".
const HAZARDS_EN: Array<[string, RegExp]> = [
  ['smoke', /\bsmok(?:e|ed|es|ing)\b/i],
  ['sparks', /\bspark(?:s|ed|ing)?\b/i],
  ['fire', /\b(?:caught fire|on fire|burst into flames|flames)\b/i],
  ['overheating', /\boverheat\w*/i],
  ['melting', /\bmelt(?:ed|ing|s)?\b/i],
  ['an explosion', /\b(?:explod\w*|explosion)\b/i],
  ['an electric shock', /\b(?:electric shock|shocked me|electrocut\w*)\b/i],
  ['a short circuit', /\bshort[- ]circuit\w*/i],
  ['a gas leak', /\b(?:gas leak|carbon monoxide)\b/i],
  ['an injury', /\binjur(?:ed|y|ies)\b/i],
  ['food poisoning', /\bfood poisoning\b/i],
  ['an allergic reaction', /\ballergic reaction\b/i],
];
const HAZARDS_ZH: Array<[string, RegExp]> = [
  ['冒烟', /冒烟/],
  ['火花', /火花/],
  ['起火', /着火|起火|自燃/],
  ['过热', /过热/],
  ['爆炸', /爆炸/],
  ['漏电', /漏电|触电|短路/],
  ['燃气泄漏', /燃气泄漏|煤气泄漏/],
  ['受伤', /受伤|烫伤|烧伤/],
  ['焦味', /焦味|糊味|烧焦/],
  ['食物中毒', /食物中毒/],
];

/** Whether `text` names a safety hazard (smoke, sparks, fire, a shock, an injury…). */
export function namesHazard(text: string): boolean {
  const zh = /\p{Script=Han}/u.test(text);
  return (zh ? ZH : EN)[0][1].test(zh ? simplifiedOf(text) : text);
}

/** The first sentence of `story` that names a hazard (a safety risk is restated in the customer's own terms), or undefined. */
export function hazardSentence(story: string): string | undefined {
  const text = story.length > READ_CHARS ? story.slice(0, READ_CHARS) : story;
  return splitSentences(text).find(namesHazard);
}

/** What made `story` unsafe ("smoke and sparks", "冒烟、火花"), for the unsafe kind; undefined when it names nothing. */
export function hazardDetail(story: string, and: string): string | undefined {
  const text = story.length > READ_CHARS ? story.slice(0, READ_CHARS) : story;
  const zh = /\p{Script=Han}/u.test(text);
  const found = (zh ? HAZARDS_ZH : HAZARDS_EN).filter(([, cue]) => cue.test(zh ? simplifiedOf(text) : text));
  const names = found.slice(0, 3).map(([name]) => name);
  if (!names.length) return undefined;
  return zh
    ? names.join('、')
    : names.length === 1
      ? names[0]
      : `${names.slice(0, -1).join(', ')}${and}${names.at(-1)}`;
}

/**
 * The kinds of problem `story` describes, most specific first, at most `max` of them. "The kettle arrived broken and
 * nobody answers" is damaged and no_response.
 */
export function problemKinds(story: string, max = 2): ProblemKind[] {
  const text = story.length > READ_CHARS ? story.slice(0, READ_CHARS) : story;
  const zh = /\p{Script=Han}/u.test(text);
  const table = zh ? ZH : EN;
  const probe = zh ? simplifiedOf(text) : text;
  const found: ProblemKind[] = [];
  const missed = (zh ? MISSED_ZH : MISSED_EN).test(probe);
  for (const [kind, cue] of table) {
    if (found.includes(kind) || !cue.test(probe)) continue;
    if (kind === 'not_arrived' && missed) continue;
    // A general word adds nothing next to a specific one: "terrible, it arrived smashed" is damaged.
    if (kind === 'poor_quality' && found.length) continue;
    // A smell or a mess next to a hazard is part of the hazard ("smoking, and the kitchen smelled of burnt plastic").
    if (kind === 'poor_condition' && found.includes('unsafe')) continue;
    if (kind === 'delayed' && found.includes('not_arrived')) continue;
    // A refund not come through is the refund; what has not arrived after a missing payment is the money.
    if (kind === 'money_missing' && found.includes('refund_pending')) continue;
    if ((kind === 'not_arrived' || kind === 'delayed') && found.includes('money_missing')) continue;
    // "My refund for the shoes has not arrived": the refund, not a parcel; "my order never came and no refund" is both.
    if (kind === 'not_arrived' && found.includes('refund_pending') && !DELIVERY_WORD.test(probe)) continue;
    if (kind === 'not_working' && found.includes('damaged')) continue;
    if (kind === 'damaged' && found.includes('not_working')) continue;
    if (kind === 'charged_wrong' && found.includes('double_charged')) continue;
    found.push(kind);
    if (found.length >= max) break;
  }
  return found;
}
