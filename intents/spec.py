"""The intents the bot understands, their slots, and the words that signal them.

One place to read what the bot can be asked. Words are matched on the normalised
question (simplified, half-width, no punctuation); longer phrases first.

intent          slots                                   example
task            facet who|lead|support|deadline, text   谁负责家庭养老床位 / 长者饭堂什么时候完成
agency_tasks    agency, jurisdiction, role lead|support|any   市民政局有哪些任务 / 民政厅牵头的任务
deadline_tasks  time, source (optional)                 完成时限为2020年12月的任务有哪些
agency_duty     agency                                  县统计局在专班里的职责
person          name, group role, position or agency    于德水是干什么的 / 专班组长是谁 / 县长是谁 / 卫健局一把手
followup        facet, ordinal, more, wants_list        什么时候完成 / 第二个 / 还有呢 / 它有哪些任务 (with a context)
help            -                                       帮助 / 你能做什么
not_found       suggestions                             (nothing in the documents answers it)
"""
from __future__ import annotations

import re

# --- asking words written another way ---------------------------------------------
# Colloquial asking characters → the form the word lists below use (啥时候 = 什么时候,
# 负责啥 = 负责什么, 叫啥 = 叫什么): one rewrite instead of a second entry per phrase.
ASKING_REWRITES = (("啥", "什么"), ("咋", "怎么"), ("哪儿", "哪里"))

# --- facets of a task question -------------------------------------------------
LEAD_WORDS = ("牵头单位", "牵头部门", "牵头", "主抓", "主责", "主办单位", "主办", "主管部门", "主导")
SUPPORT_WORDS = ("配合单位", "配合部门", "参加单位", "参与单位", "协助单位", "协办单位", "配合", "参加", "参与", "协助",
                 "协同", "协办", "协作单位", "协作", "合作单位", "还有哪些部门", "还有哪些单位", "还有谁", "一起干", "一起做",
                 "一起负责")
DEADLINE_WORDS = (
    "什么时候", "啥时候", "何时", "几时", "哪年", "哪一年", "完成时限", "时限", "期限", "截止时间", "截止日期",
    "截止", "截至", "到期", "多久", "时间节点", "完成时间", "要求时间", "deadline",
)
# "When" asked as a pattern rather than a list: a question word before a time unit
# (哪个月, 几月份, 什么时间, 多少天, 几几年), or a word that only asks for a time.
WHEN = re.compile(
    r"(?:哪|几|什么|多少)(?:个|一)?(?:年份|年|月份|月|日|号|天|时间|日期|时候)|几几年|最晚|多长时间|多久|时间要求|完成日期|截止"
)
WHO_WORDS = ("谁负责", "谁来负责", "谁管", "归谁管", "谁来管", "谁在管", "负责单位", "责任单位", "谁来")

# Phrases that only ask (who / which unit / when / list) and carry no task content:
# removed before the task text is searched.
QUESTION_PHRASES = (
    "由哪些单位负责", "由哪个单位负责", "由哪个部门负责", "由哪些部门负责", "哪些单位负责", "哪个单位负责",
    "哪个部门负责", "哪些部门负责", "是哪个部门", "是哪个单位", "由谁牵头", "由谁负责",
    "是谁牵头", "是谁负责", "谁牵头", "谁负责", "谁来负责", "归哪个部门", "归哪个单位", "归谁管", "谁来管",
    "谁在管", "谁管", "谁来", "哪个部门", "哪些部门", "哪个单位", "哪些单位", "都有哪些",
    "有哪些", "有什么", "有啥", "是什么", "是啥", "是谁", "什么时候", "啥时候", "何时", "几时", "是哪一年",
    "哪一年", "哪年", "完成时限", "截止时间", "截止日期", "期限",
    "时限", "要求", "这件事", "这事", "事情", "的目标", "由谁", "谁", "出台", "完成", "建成", "达到",
    "怎么样", "怎么", "怎样", "如何", "多少", "我们", "咱们", "你们", "我想了解", "了解一下", "建好", "搞定", "弄完", "干完", "做完", "办完", "弄好", "搞好",
)

# Single characters that never carry task content; they split the question so that
# bigrams do not straddle them.
STOP_CHARS = "的了是在和与跟给把被对由要都也这那个吗么啥呢吧啊呀哪搞弄干找我你"

# Words that name a document rather than a subject (四川那份文件里): never task content.
DOCUMENT_REFS = ("那份文件", "这份文件", "那个文件", "这个文件", "文件里", "文件中", "方案里", "表里", "里面", "那份",
                 "这份", "文件")

# A level word alone (省里, 县里, 全市, 省级的; not 县级 before a noun, which is content:
# 县级直管) names every jurisdiction of that level we hold.
LEVEL_WORD = re.compile(r"(?:(省|县|市|区)(?:里|内|级(?=的)))|(?:(?:全|本)(省|县|市|区))")

# Asks the task tables never answer: contact details, amounts of money, procedures for
# citizens, shopping advice. A question that asks one of these and no facet (谁负责 /
# 牵头 / 配合 / 时限) is out of scope, however well its subject matches a task (热线电话
# 机制谁负责 is in scope; 市民政局的电话是多少 is not).
OUT_OF_SCOPE_ASKS = re.compile(
    r"电话|号码|手机号|联系方式|地址|在哪(?!些|个|一)|怎么走|多少钱|几块钱|工资|收费|价格|价钱|预算|报名|"
    r"(?:怎么|如何)(?:申请|办理|办|交|缴|领|领取|查|查询|买|去|报销|预约|挂号)|补办|带什么|什么材料|流程|申请条件|办理条件|"
    r"什么条件|哪个牌子|牌子|好玩|天气|"
    # a count of what is there now, or of people: statistics, which the tables never hold
    # (they print targets: 到2025年养老床位达32张 stays in scope)
    r"(?:现在|目前|现有|现阶段)(?:一共|总共|共)?(?:有)?多少|"
    r"(?:有|共有|一共有)多少(?:个|名|位)?(?:老年人|老人|人口|居民|儿童|婴幼儿|人)(?!次)"
)
# Asking who does a task ("…那条是谁负责"): a task question, never a question about a person.
WHO_DOES = re.compile(r"谁(?:来)?(?:负责|牵头|配合|主管|管|落实|干|做|办)")
# Support in an agency's list: the genre's support words (A牵头，B参加 / 配合). "X参与了哪些任务"
# asks what X takes part in at all, in any role (as 涉及 does), so 参与 is not one here.
SUPPORT_ROLE_WORDS = tuple(w for w in SUPPORT_WORDS if "参与" not in w)

# --- follow-ups (refer to the chat's last answer) ----------------------------------
# Pronouns and fillers that point back (这个什么时候完成, 那配合单位呢, 它有哪些任务).
BACK_REFS = ("这个任务", "这项任务", "这一项", "这个", "这项", "那个", "它们", "它", "那么", "那")
MORE_WORDS = ("还有呢", "还有吗", "还有别的", "还有其他", "其他的呢", "别的呢", "更多", "下一页", "还有")
ORDINAL = re.compile(r"第([0-9]{1,2}|[一二三四五六七八九十])(?:个|项|条|件)?")

# --- agency task lists -----------------------------------------------------------
LIST_WORDS = ("任务", "工作", "事项", "事情", "职能", "干什么", "做什么", "负责什么", "负责哪些", "管什么", "管哪些",
              "干些什么", "做些什么", "干哪些", "做哪些", "哪些事", "什么事", "做的事", "干的事", "活儿", "活")
LIST_ASK = ("有哪些", "哪些", "有什么", "什么", "有啥", "啥", "多少", "列表", "清单", "都有", "是什么")
SELF_WORDS = ("我的任务", "我们的任务", "我单位", "本单位", "我们单位", "我们局", "我局", "我们有", "我有哪些", "我们的",
              "我们牵头", "我们配合", "我们负责", "我们")
# "我是X的" names the asker's agency for this question (我是三亚市卫健委的，我们有哪些活).
I_AM = re.compile(r"我是|我在|我们是|本单位是|我单位是")

# --- deadline lists ---------------------------------------------------------------
DEADLINE_LIST_WORDS = ("到期", "要完成", "需完成", "完成的", "完成时限", "时限", "截止", "期限", "要干完", "干完", "要做完",
                       "做完", "要办完", "弄完")

# --- duties and people ------------------------------------------------------------
DUTY_WORDS = ("主要职责", "职责", "分工职责", "主要职能", "职能", "负责什么", "管什么")
# In the working group (专班): what an agency does there is its duty statement.
IN_GROUP = ("专班",)
GROUP_DUTY_ASK = ("做什么", "干什么", "负责什么", "管什么", "分工", "做哪些", "干哪些", "工作")
# 分工 alone with an agency (网信办分工是什么) asks for its duty, not for tasks printing 分工.
DUTY_ALONE = ("分工",)
GROUP_ROLES = ("副组长", "组长", "成员", "办公室主任")
PERSON_ASK = ("是谁", "谁是", "有谁", "都有谁", "哪些人", "名单", "是干什么的", "干什么的", "做什么的", "什么职务", "是哪个单位的",
              "哪个单位的", "叫什么", "名字", "是哪位", "哪位", "姓什么")
# The head of an agency, asked without a title (卫健局一把手): the working group lists
# people by position, and these words mean whoever heads the agency.
HEAD_WORDS = ("一把手", "负责人", "头儿", "领导")
# with a group role (副组长有哪些), a plain list question asks for people too
GROUP_LIST_ASK = ("有哪些", "是哪些", "有几个", "几位")

# --- help -------------------------------------------------------------------------
HELP_WORDS = ("帮助", "help", "怎么用", "你是谁", "你是干什么的", "你能干什么", "如何使用", "使用说明", "你能做什么", "你会什么", "能问什么", "功能", "start")

# Words around an agency named alone (那市财政局呢, 还有县民政局, 三亚市民政局的): the
# name is the question.
NAME_ALONE_WORDS = ("那么", "那个", "那", "还有", "的", "呢", "吗", "呀", "啊", "嗯")

# Asking what the bot holds (有哪些文件, 收录了什么方案, 三亚有哪些任务): the documents, by place.
DOCUMENT_NOUNS = ("文件", "方案", "分工表", "资料", "文档", "材料")
HOLDINGS_WORDS = ("收录", "目前", "现在", "你", "都", "有", "了", "的", "一共", "总共", "共", "几份", "几个",
                  "多少份", "份", "些", "所有", "全部")

# The titles of an agency's head, asked with the agency alone (宝清县审计局局长): who holds it.
HEAD_TITLES = ("副局长", "局长", "副主任", "主任", "副书记", "书记", "部长", "厅长", "主席", "队长", "院长", "所长",
               "站长", "镇长", "乡长", "区长", "县长", "市长", "行长", "社长", "馆长", "校长", "理事长", "秘书长")

# A short question opening with these asks about the bot itself (你是机器人吗, 您是哪位): help.
ABOUT_BOT = ("你是", "您是", "你叫", "你们是")

# Asking whether (有没有已经超期的任务): they ask, they name nothing.
YES_NO_WORDS = ("有没有", "有无", "是不是", "是否", "已经", "目前", "现在", "还")

# Before an agency's name, these make it the asker's own (我们民政局: the bound 民政局 of several).
OWN_BEFORE = ("我们", "咱们", "我们的", "咱们的", "我", "本")
