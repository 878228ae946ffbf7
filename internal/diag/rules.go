package diag

import (
	"fmt"
	"slices"
	"strings"
)

// Rule identifies a kind of problem. The id appears in every diagnostic so
// that users can look it up and tests can match on it.
type Rule string

const (
	// Reading files.
	FileRead     Rule = "file-read"
	FileEmpty    Rule = "file-empty"
	FileTooLarge Rule = "file-too-large"
	YAMLSyntax   Rule = "yaml-syntax"
	FileEncoding Rule = "file-encoding"
	YAMLAlias    Rule = "yaml-alias"
	StrayFile    Rule = "stray-file"
	Symlink      Rule = "symlink"
	MisnamedFile Rule = "misnamed-file"
	BadDirName   Rule = "bad-dir-name"
	NoDeptFile   Rule = "missing-department-file"
	NoSiteFile   Rule = "missing-site-file"
	NoReports    Rule = "no-reports"

	// Shape of the data.
	UnknownKey      Rule = "unknown-key"
	MissingKey      Rule = "missing-key"
	DuplicateKey    Rule = "duplicate-key"
	WrongType       Rule = "wrong-type"
	AmountSyntax    Rule = "amount-syntax"
	AmountNegative  Rule = "amount-negative"
	NumberSyntax    Rule = "number-syntax"
	PercentSyntax   Rule = "percent-syntax"
	DateSyntax      Rule = "date-syntax"
	IntegerSyntax   Rule = "integer-syntax"
	EnumValue       Rule = "enum-value"
	YearRange       Rule = "year-range"
	YearMismatch    Rule = "year-mismatch"
	DuplicateDept   Rule = "duplicate-department"
	DuplicateReport Rule = "duplicate-report"
	SectionConflict Rule = "section-conflict"
	EmptyValue      Rule = "empty-value"
	EmptyField      Rule = "empty-field"
	DuplicateFund   Rule = "duplicate-fund"
	IndicatorDepth  Rule = "indicator-depth"
	MarkdownNesting Rule = "markdown-nesting"
	DeltaSyntax     Rule = "delta-syntax"
	KindFields      Rule = "kind-fields"

	// Reconciliation: figures that do not agree with each other.
	SumMismatch     Rule = "sum-mismatch"
	OfWhichExceeds  Rule = "of-which-exceeds"
	FundSplit       Rule = "fund-split"
	BudgetSplit     Rule = "budget-split"
	PlanSplit       Rule = "plan-split"
	RateMismatch    Rule = "rate-mismatch"
	FundsVsTotals   Rule = "funds-vs-totals"
	ScoreSum        Rule = "score-sum"
	ScoreOverWeight Rule = "score-over-weight"
	ThreePublicSum  Rule = "three-public-sum"
	StaffSum        Rule = "staff-sum"
	AuthorizedSum   Rule = "authorized-sum"
	ReportDateEarly Rule = "report-date-early"
	ProjectItemsSum Rule = "project-items-sum"
	ErratumNoChange Rule = "erratum-unchanged"
	ErratumApplied  Rule = "erratum"
	Rounding        Rule = "rounding"

	// Stated changes, shares and the figures of 决算, 预算, 三公 and
	// project forms.
	ChangeMismatch   Rule = "change-mismatch"
	ChangeRateWrong  Rule = "change-rate-mismatch"
	ShareMismatch    Rule = "share-mismatch"
	PercentTruncated Rule = "percent-truncated"
	PartExceedsWhole Rule = "part-exceeds-whole"
	AccountsBalance  Rule = "accounts-balance"
	CodeTree         Rule = "code-tree"
	CodeName         Rule = "code-name"
	VehicleCount     Rule = "vehicle-count"
	PriorYear        Rule = "prior-year-mismatch"
	MissedFullMarks  Rule = "missed-target-full-marks"
	FormUnfilled     Rule = "form-unfilled"
	UnitImplausible  Rule = "unit-implausible"
	UnknownProfile   Rule = "unknown-profile"
	TableUnknown     Rule = "table-unknown"
	TableCell        Rule = "table-cell"
	TableColumns     Rule = "table-columns"
	TableSum         Rule = "table-sum"

	// Disclosure compliance: what a profile (internal/compliance) says a
	// department must publish, and by when. Their ids start with
	// "profile-"; only `disclose check --profile` and the 公开情况 page
	// report them.
	ProfileDocument  Rule = "profile-document-missing"
	ProfileTable     Rule = "profile-table-missing"
	ProfilePart      Rule = "profile-part-missing"
	ProfileSection   Rule = "profile-section-missing"
	ProfileExecution Rule = "profile-execution-unexplained"
	ProfileTarget    Rule = "profile-target-unexplained"
	ProfileLate      Rule = "profile-late"
	ProfileUndecided Rule = "profile-undecided"
	ProfileSiteMeta  Rule = "profile-site-meta"
)

// Profile reports whether r is a disclosure-compliance rule, one that only
// a check against a profile gives.
func (r Rule) Profile() bool { return strings.HasPrefix(string(r), "profile-") }

type template struct {
	sev            Severity
	zh, en         string
	hintZh, hintEn string
}

// catalog holds the wording of every rule. Arguments are positional
// (%[1]s …) so that the two languages may order them differently.
var catalog = map[Rule]template{
	FileRead: {Error, "无法读取文件：%[1]s", "cannot read file: %[1]s",
		"检查文件是否存在、是否有读取权限。", "Check that the file exists and is readable."},
	FileEmpty: {Error, "文件是空的", "file is empty",
		"填写内容，或删除这个文件。", "Fill it in or delete the file."},
	FileTooLarge: {Error, "文件太大（%[1]s 字节，上限 %[2]s 字节）", "file is too large (%[1]s bytes, limit %[2]s)",
		"一份报告不应这么大；长篇文字请拆到单独的 .md 文件。", "Move long text into separate .md files."},
	YAMLSyntax: {Error, "不是有效的 YAML：%[1]s", "not valid YAML: %[1]s",
		"常见原因：缩进不一致（只能用空格，不能用 Tab）、冒号后缺空格、引号没有配对。", "Common causes: inconsistent indentation (spaces only, no tabs), a missing space after a colon, an unclosed quote."},
	FileEncoding: {Error, "文件不是 UTF-8 编码（%[1]s）", "file is not UTF-8 (%[1]s)",
		"在编辑器中选择“另存为”，编码选 UTF-8 后保存。WPS、记事本默认的 GBK/ANSI 或 Unicode（UTF-16）编码都需要转换。", "Save the file as UTF-8."},
	YAMLAlias: {Error, "不支持 YAML 锚点和别名（& 和 *）", "YAML anchors and aliases (& and *) are not supported",
		"把引用的内容直接写出来。", "Write the value out in full."},
	StrayFile: {Warning, "无法识别的文件，已忽略：%[1]s", "unrecognised file ignored: %[1]s",
		"部门目录里只放 department.yaml、<年度>.yaml、duties.md 和 <年度>/ 目录下的文字章节。", "A department directory holds department.yaml, <year>.yaml, duties.md and <year>/ section files."},
	Symlink: {Error, "“%[1]s”是符号链接（指向 %[2]s），不能读取", "%[1]q is a symbolic link (to %[2]s) and is not read",
		"内容目录里的文件和文件夹不能是链接：链接可能把本机上内容目录以外的文件发布到网站上。把文件本身复制到这里，再删除这个链接。", "Files and folders in the content directory may not be links, which could publish files from elsewhere on this machine. Copy the file itself here and delete the link."},
	MisnamedFile: {Error, "文件名“%[1]s”不符合规定：这个文件不会被读取，其中的内容不会发布", "%[1]q is not a name disclose reads, so its content would not be published",
		"%[2]s", "%[3]s"},
	BadDirName: {Error, "目录名“%[1]s”不能用作网址", "directory name %[1]q cannot be used in URLs",
		"只用小写字母、数字和连字符，如 hunan-yueyang-yunxi-minzheng。", "Use lowercase letters, digits and hyphens only."},
	NoDeptFile: {Error, "部门目录缺少 department.yaml", "department directory has no department.yaml",
		"新建 department.yaml，填写部门名称、层级、地区等。", "Create department.yaml with the department's name, level and region."},
	NoSiteFile: {Warning, "缺少网站设置文件 site.yaml，将使用默认设置", "no site.yaml; defaults are used",
		"在内容目录新建 site.yaml，至少填写 title。", "Create site.yaml with at least a title."},
	NoReports: {Warning, "这个部门还没有任何年度报告", "this department has no reports",
		"新建 <年度>.yaml，如 2023.yaml。", "Add a <year>.yaml file such as 2023.yaml."},

	UnknownKey: {Error, "无法识别的字段“%[1]s”%[2]s", "unknown field %[1]q%[2]s",
		"可用字段：%[3]s", "allowed fields: %[3]s"},
	MissingKey: {Error, "缺少必填字段“%[1]s”（%[2]s）", "missing required field %[1]q (%[2]s)",
		"在这一层加上 %[1]s: …", "Add %[1]s: … at this level."},
	DuplicateKey: {Error, "字段“%[1]s”重复出现（第一次在第 %[2]s 行）", "field %[1]q appears twice (first on line %[2]s)",
		"删除其中一个，或合并两处内容。", "Remove or merge one of them."},
	WrongType: {Error, "“%[1]s”应当是%[2]s，这里是%[3]s", "%[1]q should be %[2]s, found %[3]s",
		"%[4]s", "%[5]s"},
	AmountSyntax: {Error, "金额“%[1]s”格式不对：%[2]s", "amount %[1]q is malformed: %[2]s",
		"金额按原文以万元填写数字，如 3176.4889；原文用元时写 55.02元。不要写千分位以外的符号。", "Write the figure in 万元 as published, e.g. 3176.4889, or with a unit: 55.02元."},
	AmountNegative: {Error, "金额“%[1]s”不能为负数", "amount %[1]q cannot be negative",
		"支出、预算和收入都应为正数；只有年中调整（adjustment）可以为负。", "Only adjustment may be negative."},
	NumberSyntax: {Error, "“%[1]s”不是数字：%[2]s", "%[1]q is not a number: %[2]s",
		"填写阿拉伯数字，如 97.35。", "Write a number such as 97.35."},
	PercentSyntax: {Error, "“%[1]s”不是百分比", "%[1]q is not a percentage",
		"写成 \"84.69%\"（加引号）。", "Write it as \"84.69%\" (quoted)."},
	DateSyntax: {Error, "“%[1]s”不是日期", "%[1]q is not a date",
		"写成 2024-05-31，只知道年月时写 2024-05。", "Write 2024-05-31, or 2024-05 when the day is unknown."},
	IntegerSyntax: {Error, "“%[1]s”应当是不小于 0 的整数", "%[1]q should be a whole number ≥ 0",
		"填写人数、个数等整数，如 29。", "Write a whole number such as 29."},
	EnumValue: {Error, "“%[1]s”不是“%[2]s”的可选值%[3]s", "%[1]q is not a valid %[2]s%[3]s",
		"可选值：%[4]s", "allowed values: %[4]s"},
	YearRange: {Error, "年度 %[1]s 超出范围（%[2]s–%[3]s）", "year %[1]s is out of range (%[2]s–%[3]s)",
		"检查年度是否写错。", "Check the year."},
	YearMismatch: {Error, "文件名是 %[1]s 年度，文件里写的是 year: %[2]s", "file name says %[1]s but year: is %[2]s",
		"文件名和 year 字段应当一致：改正其中一个。", "Make the file name and the year field agree."},
	DuplicateDept: {Error, "部门“%[1]s”与 %[2]s 重复", "department %[1]q duplicates %[2]s",
		"同一部门只建一个目录，不同年度的报告都放在这个目录里。", "Keep one directory per department with all its years inside."},
	DuplicateReport: {Error, "%[1]s 年度的报告重复：%[2]s", "duplicate report for %[1]s: %[2]s",
		"每个年度只保留一个文件。", "Keep one file per year."},
	SectionConflict: {Error, "章节“%[1]s”既写在 YAML 里又有单独的文件 %[2]s", "section %[1]q is both inline and in %[2]s",
		"只保留一处：删除 YAML 里的 %[1]s，或删除那个 .md 文件。", "Keep only one of them."},
	DuplicateFund: {Error, "资金来源“%[1]s”重复出现（第一次在第 %[2]s 行）", "fund source %[1]q appears twice (first on line %[2]s)",
		"同一资金来源的数字合并到一项里；确需分列时用 label 区分，如 label: 非财政拨款。", "Merge them, or tell them apart with label."},
	IndicatorDepth: {Error, "指标“%[1]s”在第 %[2]s 级：绩效指标最多三级", "indicator %[1]q is at level %[2]s; indicators have at most three levels",
		"一级指标（产出、效益、满意度）→ 二级指标（数量、质量、时效、成本……）→ 三级指标（具体指标，填写指标值、实际值、分值、得分）。", "Level 1 (产出/效益/满意度) → level 2 (数量/质量/…) → level 3 (the indicator with target, actual, weight and score)."},
	MarkdownNesting: {Error, "%[1]s%[2]s，网站无法生成这段文字", "%[3]s%[4]s; the site cannot render this text",
		"%[5]s", "%[6]s"},
	EmptyField: {Warning, "“%[1]s”没有填写，已忽略", "%[1]q has no value and is ignored",
		"填写内容；原文没有这一项就删掉这一行。", "Fill it in, or delete the line if the source does not give it."},
	EmptyValue: {Error, "“%[1]s”不能为空", "%[1]q must not be empty",
		"填写内容，或删掉这一行。", "Fill it in or remove the line."},

	SumMismatch: {Warning, "%[1]s：各分项之和 %[3]s 万元与合计 %[2]s 万元不符，相差 %[4]s 万元", "%[1]s: the parts add up to %[3]s 万元, not the stated total %[2]s 万元 (difference %[4]s)",
		"核对原文：合计或某个分项可能有误。若原文就是如此，保留原数，网站会向读者提示；若确属笔误，按勘误格式写明 published、corrected 和 reason。%[5]s", "Check the source. Keep published figures; record an erratum only for a plain typo.%[6]s"},
	OfWhichExceeds: {Warning, "%[1]s：“其中”各项之和 %[3]s 万元超过了合计 %[2]s 万元", "%[1]s: the \"of which\" items add up to %[3]s, more than the total %[2]s",
		"“其中”项是合计的一部分，之和不能超过合计；若这些项就是完整细分，改用 items。", "Of-which items are part of the total; if they are the full breakdown, use items."},
	FundSplit: {Warning, "%[1]s：基本支出 %[2]s 万元 + 项目支出 %[3]s 万元 = %[4]s 万元，与支出合计 %[5]s 万元不符", "%[1]s: basic %[2]s + project %[3]s = %[4]s, not the stated expenditure %[5]s",
		"核对原文中的支出合计、基本支出和项目支出。", "Check total, basic and project spending in the source."},
	BudgetSplit: {Warning, "%[1]s：年初预算 %[2]s 万元 + 调整 %[3]s 万元 = %[4]s 万元，与全年预算 %[5]s 万元不符", "%[1]s: initial %[2]s + adjustment %[3]s = %[4]s, not the full-year budget %[5]s",
		"核对年初预算、调整数和全年预算。", "Check the initial budget, adjustment and full-year budget."},
	PlanSplit: {Warning, "%[1]s：预算批复中基本支出 %[2]s 万元 + 项目支出 %[3]s 万元 = %[4]s 万元，与预算总数 %[5]s 万元不符", "%[1]s: approved basic %[2]s + project %[3]s = %[4]s, not the approved total %[5]s",
		"核对预算批复的总数和构成。", "Check the approved budget and its split."},
	RateMismatch: {Warning, "%[1]s：原文执行率 %[2]s%%，按支出 %[3]s 万元 ÷ 预算 %[4]s 万元计算为 %[5]s%%", "%[1]s: stated execution rate %[2]s%%, but %[3]s ÷ %[4]s gives %[5]s%%",
		"执行率 = 实际支出 ÷ 预算数。核对原文的执行率、支出和预算。", "Execution rate = expenditure ÷ budget. Check the three figures."},
	FundsVsTotals: {Warning, "各资金来源的%[1]s之和 %[2]s 万元与部门整体%[1]s %[3]s 万元不符", "the funds' %[1]s add up to %[2]s, not the department total %[3]s",
		"核对部门整体数和各资金来源的数。", "Check the department total against the fund figures."},
	ScoreSum: {Warning, "%[1]s：分项得分之和 %[2]s 与总分 %[3]s 不符", "%[1]s: the part scores add up to %[2]s, not the total %[3]s",
		"核对总分和各分项得分。", "Check the total score and its parts."},
	ScoreOverWeight: {Warning, "%[1]s：得分 %[2]s 超过了分值 %[3]s", "%[1]s: score %[2]s exceeds its weight %[3]s",
		"得分不能高于分值：核对原文。", "A score cannot exceed its weight."},
	ThreePublicSum: {Warning, "“三公”经费%[1]s：各项之和 %[2]s 万元与合计 %[3]s 万元不符", "三公 %[1]s: the items add up to %[2]s, not the total %[3]s",
		"合计 = 因公出国（境）费 + 公务用车购置费 + 公务用车运行维护费 + 公务接待费。%[4]s", "Total = the four items.%[5]s"},
	StaffSum: {Warning, "在职人员各类之和 %[1]s 人与在职人数 %[2]s 人不符", "staff categories add up to %[1]s, not the in-service count %[2]s",
		"核对人员分类。", "Check the staff categories."},
	AuthorizedSum: {Warning, "编制各类之和 %[1]s 人与编制数 %[2]s 人不符", "establishment categories add up to %[1]s, not the establishment %[2]s",
		"核对编制数和各类编制。", "Check the establishment and its categories."},
	ReportDateEarly: {Warning, "报告日期 %[1]s 早于报告年度 %[2]s 结束", "report date %[1]s is before the end of %[2]s",
		"绩效自评报告一般在次年出具：检查日期或年度。", "Self-evaluation reports are written the following year."},
	ProjectItemsSum: {Warning, "项目“%[1]s”：资金细分之和 %[3]s 万元与实际拨付 %[2]s 万元不符", "project %[1]q: items add up to %[3]s, not the paid %[2]s",
		"核对项目资金细分。", "Check the project's items."},
	ErratumNoChange: {Warning, "勘误的更正值与原文相同：%[1]s", "erratum corrects nothing: %[1]s",
		"删掉勘误，直接写原数。", "Remove the erratum and write the figure."},
	DeltaSyntax: {Error, "增减“%[1]s”看不懂", "change %[1]q cannot be read",
		"按原文写，如 \"下降42.13%\"、\"减少18,987.42元\"、\"增加3.5万元\"、\"+12.5\" 或 \"持平\"：方向词或正负号，数字，单位。", "Write it as published: a direction word or sign, the number, and %, 元 or 万元."},
	KindFields: {Warning, "“%[1]s”是%[2]s的内容，本文件的种类是“%[3]s”", "%[1]q belongs to %[2]s, but this file's kind is %[3]q",
		"检查 kind：%[4]s", "Check kind: %[4]s"},
	ChangeMismatch: {Warning, "%[1]s：原文增减额 %[2]s，按本年 %[3]s − 上年 %[4]s 计算为 %[5]s", "%[1]s: stated change %[2]s, but %[3]s − %[4]s = %[5]s",
		"增减额 = 本年数 − 上年数。核对原文的三个数。", "Change = this year − prior year. Check the three figures."},
	ChangeRateWrong: {Warning, "%[1]s：原文增减率 %[2]s，按（本年 %[3]s − 上年 %[4]s）÷ 上年计算为 %[5]s", "%[1]s: stated rate of change %[2]s, but (%[3]s − %[4]s) ÷ %[4]s = %[5]s",
		"增减率 = （本年数 − 上年数）÷ 上年数。核对原文。", "Rate of change = (this year − prior) ÷ prior. Check the source."},
	ShareMismatch: {Warning, "%[1]s：原文占比 %[2]s%%，按 %[3]s ÷ %[4]s 计算为 %[5]s%%", "%[1]s: stated share %[2]s%%, but %[3]s ÷ %[4]s = %[5]s%%",
		"占比 = 本项 ÷ 上级合计。核对原文。", "Share = this item ÷ its total. Check the source."},
	PercentTruncated: {Warning, "%[1]s：原文 %[2]s%% 是截去尾数所得，四舍五入应为 %[3]s%%", "%[1]s: %[2]s%% was truncated; rounded it is %[3]s%%",
		"原文的百分比没有四舍五入而是直接舍去了尾数。数字保留原样，网站会向读者说明。", "The source truncated the percentage. Keep it; readers are told."},
	PartExceedsWhole: {Warning, "%[1]s：%[2]s %[3]s 大于%[4]s %[5]s", "%[1]s: the part %[2]s (%[3]s) is larger than the whole %[4]s (%[5]s)",
		"部分不能大于整体：两个数口径不同（如一个是某一资金来源的，一个是全部资金的）或有笔误。核对原文，口径不同时分开填写并在 notes 里说明。", "A part cannot exceed its whole: the two figures differ in scope, or one is a typo."},
	AccountsBalance: {Warning, "收入总计 %[1]s 与支出总计 %[2]s 不相等，相差 %[3]s", "income total %[1]s and expenditure total %[2]s differ by %[3]s",
		"决算的收支总计应当相等（支出总计含年末结转和结余）。核对原文是否把结转结余只算进了一边。", "The two grand totals of final accounts must be equal."},
	CodeTree: {Warning, "科目“%[1]s”的编码 %[2]s 不在上级科目“%[3]s”（%[4]s）之下", "code %[2]s of %[1]q is not under its parent %[3]q (%[4]s)",
		"下级科目编码以上级编码开头：类 208 → 款 20802 → 项 2080201。核对编码或层级。", "A child's code starts with its parent's: 208 → 20802 → 2080201."},
	CodeName: {Warning, "科目编码 %[1]s 是“%[2]s”，这里写的名称是“%[3]s”", "code %[1]s is %[2]q, but the name here is %[3]q",
		"核对科目编码和名称（《政府收支分类科目》）。", "Check the code and name against the classification."},
	VehicleCount: {Warning, "各类车辆之和 %[1]s 辆与车辆总数 %[2]s 辆不符", "vehicles by type add up to %[1]s, not the total %[2]s",
		"核对车辆总数和各类车辆数。", "Check the vehicle counts."},
	PriorYear: {Warning, "%[1]s：本文件所述上年数 %[2]s，与 %[3]s 中该年的数 %[4]s 不符", "%[1]s: the prior-year figure %[2]s differs from %[4]s in %[3]s",
		"上年数应与上年的公开文件一致；不一致时核对两份原文，口径调整请在 reason 或 notes 中说明。", "The prior-year figure should match last year's document."},
	MissedFullMarks: {Warning, "指标“%[1]s”：实际完成值 %[2]s 未达到指标值 %[3]s，却得了满分 %[4]s", "indicator %[1]q: the actual %[2]s misses its target %[3]s, yet scores full marks %[4]s",
		"未完成目标的指标一般应扣分，并写明偏差原因。核对原文的完成值、指标值和得分。", "An indicator that misses its target should lose points and explain why."},
	FormUnfilled: {Warning, "%[1]s", "%[2]s",
		"原文的表没有填完：数字保持原样，网站会向读者说明；若是转录遗漏，请补上。", "The source form is not filled in; keep it as published."},
	UnitImplausible: {Warning, "%[1]s：%[2]s 万元%[3]s，原文可能是以元为单位", "%[1]s: %[2]s 万元 %[4]s; the source may be in 元",
		"原文以元为单位时，金额后写上“元”（如 26,085.58元），网站会按原文的单位显示。", "If the source is in 元, write the unit after the figure (26,085.58元)."},
	UnknownProfile: {Error, "没有名为“%[1]s”的报表格式", "there is no table profile %[1]q",
		"profile 可选：%[2]s；不写则按文件种类取全国格式。", "Known profiles: %[2]s."},
	TableUnknown: {Warning, "表“%[1]s”不在%[2]s中", "table %[1]q is not in %[2]s",
		"按原文核对表名，或在 profile 中选择所用的格式。该格式的表：%[3]s。", "Check the name, or choose the profile the document follows."},
	TableCell: {Error, "%[1]s的“%[2]s”一行：%[3]s，应为%[4]s", "%[1]s, row %[2]q: %[3]s where %[4]s was expected",
		"每格写原表中的数（不带单位，单位写在表的 unit 里），空白格写 \"\"；一行的格数不能超过列数。", "Write each cell as printed, \"\" for a blank; no more cells than columns."},
	TableColumns: {Warning, "%[1]s没有名为“%[2]s”的列，这一列无法核对", "%[1]s has no column %[2]q; it cannot be checked",
		"该表的列：%[3]s。按原表核对列名。", "The table's columns are: %[3]s."},
	TableSum: {Warning, "%[1]s“%[2]s”一行的%[3]s %[4]s 与%[5]s %[6]s 不符，相差 %[7]s", "%[1]s, row %[2]q, %[3]s: %[4]s is not %[5]s %[6]s (difference %[7]s)",
		"核对原表这一行（或这一列）的数：合计应等于各分项之和。数字保持原样，网站会向读者提示。", "Check the row in the source: a total equals the sum of its parts."},
	ProfileDocument: {Error, "%[1]s %[2]s 年度没有公开%[3]s（依据：%[4]s）", "%[1]s has not published its %[3]s for %[2]s (basis: %[4]s)",
		"公开后按原文转录为 %[2]s 年度的报告（kind: %[3]s）；已公开而本站未收录的，补上这份文件。", "Transcribe the published document as a %[2]s report of kind %[3]s."},
	ProfileTable: {Error, "%[1]s缺少公开表“%[2]s”（%[3]s；依据：%[4]s）", "%[1]s lacks the table %[2]q (%[3]s; basis: %[4]s)",
		"原文有这张表的，按原表转录到 tables；原文没有的，这是公开内容的缺项，请部门补充公开。", "Transcribe the table if the source has it; otherwise the department must publish it."},
	ProfilePart: {Error, "%[1]s缺少%[2]s（依据：%[3]s）", "%[1]s lacks %[2]s (basis: %[3]s)",
		"%[4]s", "%[5]s"},
	ProfileSection: {Error, "%[1]s缺少“%[2]s”部分（依据：%[3]s）", "%[1]s lacks the section %[2]q (basis: %[3]s)",
		"原文有这部分的，写在 narrative 的 %[4]s 或以“%[2]s”为标题的章节里；原文没有的，请部门补充。", "Write it under narrative %[4]s or a chapter titled %[2]q."},
	ProfileExecution: {Warning, "%[1]s的预算执行率 %[2]s%%（%[3]s）低于 %[4]s%%，未见原因说明（依据：%[5]s）", "%[1]s: execution rate %[2]s%% (%[3]s) is below %[4]s%% and no reason is given (basis: %[5]s)",
		"执行率偏低须说明原因：原文有说明的，写在该资金来源的 note 或“预算执行”“存在的问题”一节里（含“原因”“由于”“主要是”等字样）；原文没有的，请部门补充。", "Give the reason in the fund's note or the budget or problems section."},
	ProfileTarget: {Warning, "指标“%[1]s”未完成：实际 %[2]s，目标 %[3]s，未写偏差原因（依据：%[4]s）", "indicator %[1]q missed its target (%[2]s against %[3]s) and gives no reason (basis: %[4]s)",
		"在该指标的 deviation 写明偏差原因及改进措施；原文没有的，请部门补充。", "Write the reason and the remedy under the indicator's deviation."},
	ProfileLate: {Error, "%[1]s于 %[2]s 批复、%[3]s 公开，超过 %[4]s 日的时限 %[5]s 天（依据：%[6]s）", "%[1]s was approved on %[2]s and published on %[3]s, %[5]s days after the %[4]s-day limit (basis: %[6]s)",
		"核对 approved 和 source.published 两个日期；属实的，这是公开逾期。", "Check approved and source.published; if both are right, the disclosure was late."},
	ProfileUndecided: {Note, "%[1]s：%[2]s，无法判断%[3]s（依据：%[4]s）", "%[1]s: %[2]s, so whether %[3]s cannot be decided (basis: %[4]s)",
		"%[5]s", "%[6]s"},
	ProfileSiteMeta: {Error, "site.yaml 没有填写 %[1]s（%[2]s），网页缺少 <meta name=\"%[3]s\">（依据：%[4]s）", "site.yaml has no %[1]s (%[2]s), so pages lack <meta name=\"%[3]s\"> (basis: %[4]s)",
		"在 site.yaml 的 portal 下填写 %[1]s（%[2]s）。", "Fill in %[1]s under portal in site.yaml."},
	Rounding: {Note, "%[1]s：各分项之和 %[3]s 与合计 %[2]s 相差 %[4]s，在四舍五入误差范围内", "%[1]s: the parts add up to %[3]s, the stated total is %[2]s; the difference %[4]s is within rounding",
		"原文各数均已四舍五入，这样的差额不算错误；网站会向读者说明。", "Published figures are rounded; such a gap is not an error and readers are told why."},
	ErratumApplied: {Note, "已记录勘误：原文“%[1]s”更正为“%[2]s”", "erratum recorded: published %[1]q corrected to %[2]q",
		"理由：%[3]s", "reason: %[3]s"},
}

// Severity is the rule's default severity.
func (r Rule) Severity() Severity { return catalog[r].sev }

// Known reports whether r has wording.
func (r Rule) Known() bool {
	_, ok := catalog[r]
	return ok
}

// Rules lists every rule id, for documentation and tests.
func Rules() []Rule {
	out := make([]Rule, 0, len(catalog))
	for r := range catalog {
		out = append(out, r)
	}
	sortRules(out)
	return out
}

func (r Rule) render(lang Lang, hint bool, args []string) string {
	t, ok := catalog[r]
	if !ok {
		return strings.Join(append([]string{string(r)}, args...), " ")
	}
	f := t.zh
	switch {
	case hint && lang == En:
		f = t.hintEn
	case hint:
		f = t.hintZh
	case lang == En:
		f = t.en
	}
	if f == "" {
		return ""
	}
	vals := make([]any, 8)
	for i := range vals {
		vals[i] = ""
		if i < len(args) {
			vals[i] = args[i]
		}
	}
	s := fmt.Sprintf(f, vals...)
	// Unused positional arguments make fmt append %!(EXTRA …); templates
	// use only some of the eight slots, so cut that noise.
	if i := strings.Index(s, "%!(EXTRA"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func sortRules(rs []Rule) { slices.Sort(rs) }
