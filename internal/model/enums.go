package model

import "fmt"

// Enumerations are written in Chinese in the content files, as finance staff
// say them. Each type lists its values so that the decoder and the JSON
// Schema agree on them.

type Level string

const (
	LevelProvince Level = "省级"
	LevelCity     Level = "市级"
	LevelCounty   Level = "县级"
)

func (Level) Values() []string { return []string{"省级", "市级", "县级"} }

type UnitType string

func (UnitType) Values() []string {
	return []string{"行政单位", "参公事业单位", "事业单位", "其他"}
}

type FundingType string

func (FundingType) Values() []string { return []string{"全额拨款", "差额拨款", "自收自支"} }

type EvalMethod string

func (EvalMethod) Values() []string {
	return []string{"部门自评", "第三方评价", "财政评价"}
}

// FundSource is where money comes from. 财政拨款 is the sum of the first
// three budgets, used when a document does not split it further.
type FundSource string

const (
	FundGeneral         FundSource = "一般公共预算"
	FundGovernment      FundSource = "政府性基金预算"
	FundStateCapital    FundSource = "国有资本经营预算"
	FundSocialInsurance FundSource = "社会保险基金预算"
	FundFiscal          FundSource = "财政拨款"
	FundSpecialAccount  FundSource = "财政专户管理资金"
	FundOther           FundSource = "其他资金"
)

func (FundSource) Values() []string {
	return []string{"一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算", "财政拨款", "财政专户管理资金", "其他资金"}
}

// Enum is implemented by every enumeration type.
type Enum interface{ Values() []string }

// ValidEnum reports whether v is one of e's values.
func ValidEnum(e Enum, v string) bool {
	for _, x := range e.Values() {
		if x == v {
			return true
		}
	}
	return false
}

func (d Date) String() string {
	switch {
	case d.Month == 0:
		return fmt.Sprintf("%d年", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%d年%d月", d.Year, d.Month)
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year, d.Month, d.Day)
}

// ISO is the machine form: 2024-05-31, 2024-05 or 2024.
func (d Date) ISO() string {
	switch {
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}
