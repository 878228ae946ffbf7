// Package seedset names the five seed departments of the shipped content:
// the ones content/ held before real documents of other kinds (三公经费,
// 部门决算, 项目支出绩效自评 …) were added, each with one
// 部门整体支出绩效自评报告. Golden files and pinned figures are theirs, so
// tests that pin them take only these departments and adding content does
// not change them. Only tests import it; it imports nothing.
//
// It is a package for tests only (see internal/arch).
package seedset

// IDs are the seed departments' directory names, sorted.
var IDs = []string{
	"hubei-jingmen-minzheng",
	"hunan-shaoyang-daxiang-minzheng",
	"hunan-xiangtan-minzheng",
	"hunan-yueyang-yunxi-minzheng",
	"hunan-zhuzhou-lusong-minzheng",
}
