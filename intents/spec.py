"""The intents the bot understands, their slots, and the words that signal them.

One place to read what the bot can be asked. Words are matched on the normalised
question (simplified, half-width, no punctuation); longer phrases first.

intent          slots                                   example
task            facet who|lead|support|deadline, text   谁负责家庭养老床位 / 长者饭堂什么时候完成
agency_tasks    agency, jurisdiction, role lead|support|any   市民政局有哪些任务 / 民政厅牵头的任务
deadline_tasks  time, source (optional)                 完成时限为2020年12月的任务有哪些
agency_duty     agency                                  县统计局在专班里的职责
person          name or group role                      于德水是干什么的 / 专班组长是谁
help            -                                       帮助 / 你能做什么
not_found       suggestions                             (nothing in the documents answers it)
"""
from __future__ import annotations

# --- facets of a task question -------------------------------------------------
LEAD_WORDS = ("牵头单位", "牵头部门", "牵头", "主抓", "主责")
SUPPORT_WORDS = ("配合单位", "配合部门", "参加单位", "参与单位", "协助单位", "配合", "参加", "参与", "协助", "协同")
DEADLINE_WORDS = (
    "什么时候", "啥时候", "何时", "几时", "哪年", "哪一年", "完成时限", "时限", "期限", "截止时间", "截止日期",
    "截止", "截至", "到期", "多久", "时间节点", "完成时间", "要求时间", "deadline",
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
)

# Single characters that never carry task content; they split the question so that
# bigrams do not straddle them.
STOP_CHARS = "的了是在和与跟给把被对由要都也这那个吗么啥呢吧啊呀哪"

# --- agency task lists -----------------------------------------------------------
LIST_WORDS = ("任务", "工作", "事项", "事情", "职能", "干什么", "做什么", "负责什么", "负责哪些", "管什么", "管哪些")
LIST_ASK = ("有哪些", "哪些", "有什么", "什么", "有啥", "啥", "多少", "列表", "清单", "都有", "是什么")
SELF_WORDS = ("我的任务", "我们的任务", "我单位", "本单位", "我们单位", "我们局", "我局", "我们有", "我有哪些", "我们的")

# --- deadline lists ---------------------------------------------------------------
DEADLINE_LIST_WORDS = ("到期", "要完成", "需完成", "完成的", "完成时限", "时限", "截止", "期限")

# --- duties and people ------------------------------------------------------------
DUTY_WORDS = ("主要职责", "职责", "分工职责", "负责什么", "管什么")
GROUP_ROLES = ("副组长", "组长", "成员", "办公室主任")
PERSON_ASK = ("是谁", "谁是", "有谁", "都有谁", "哪些人", "名单", "是干什么的", "干什么的", "做什么的", "什么职务", "是哪个单位的", "哪个单位的")
# with a group role (副组长有哪些), a plain list question asks for people too
GROUP_LIST_ASK = ("有哪些", "是哪些", "有几个", "几位")

# --- help -------------------------------------------------------------------------
HELP_WORDS = ("帮助", "help", "怎么用", "如何使用", "使用说明", "你能做什么", "你会什么", "能问什么", "功能", "start")
