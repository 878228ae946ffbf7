package gen

import "strings"

// place is a named region with the pinyin used in directory names.
type place struct{ name, slug string }

type province struct {
	place
	code   string // the first two digits of its division codes
	cities []place
}

// Provinces and prefecture-level cities are real; counties are made up
// (see countyName), because a list of real counties large enough for
// 100,000 departments would dwarf the generator.
var provinces = []province{
	{place{"湖南省", "hunan"}, "43", places("长沙市:changsha 株洲市:zhuzhou 湘潭市:xiangtan 衡阳市:hengyang 邵阳市:shaoyang 岳阳市:yueyang 常德市:changde 张家界市:zhangjiajie 益阳市:yiyang 郴州市:chenzhou 永州市:yongzhou 怀化市:huaihua 娄底市:loudi")},
	{place{"湖北省", "hubei"}, "42", places("武汉市:wuhan 黄石市:huangshi 十堰市:shiyan 宜昌市:yichang 襄阳市:xiangyang 鄂州市:ezhou 荆门市:jingmen 孝感市:xiaogan 荆州市:jingzhou 黄冈市:huanggang 咸宁市:xianning 随州市:suizhou")},
	{place{"江西省", "jiangxi"}, "36", places("南昌市:nanchang 景德镇市:jingdezhen 萍乡市:pingxiang 九江市:jiujiang 新余市:xinyu 鹰潭市:yingtan 赣州市:ganzhou 吉安市:jian 宜春市:yichun 抚州市:fuzhou 上饶市:shangrao")},
	{place{"河南省", "henan"}, "41", places("郑州市:zhengzhou 开封市:kaifeng 洛阳市:luoyang 平顶山市:pingdingshan 安阳市:anyang 新乡市:xinxiang 焦作市:jiaozuo 许昌市:xuchang 南阳市:nanyang 信阳市:xinyang 周口市:zhoukou 驻马店市:zhumadian")},
	{place{"安徽省", "anhui"}, "34", places("合肥市:hefei 芜湖市:wuhu 蚌埠市:bengbu 淮南市:huainan 安庆市:anqing 滁州市:chuzhou 阜阳市:fuyang 六安市:luan 宣城市:xuancheng")},
	{place{"四川省", "sichuan"}, "51", places("成都市:chengdu 自贡市:zigong 绵阳市:mianyang 德阳市:deyang 南充市:nanchong 宜宾市:yibin 泸州市:luzhou 乐山市:leshan 达州市:dazhou")},
	{place{"广东省", "guangdong"}, "44", places("广州市:guangzhou 韶关市:shaoguan 珠海市:zhuhai 汕头市:shantou 佛山市:foshan 江门市:jiangmen 湛江市:zhanjiang 茂名市:maoming 肇庆市:zhaoqing 梅州市:meizhou 清远市:qingyuan")},
	{place{"广西壮族自治区", "guangxi"}, "45", places("南宁市:nanning 柳州市:liuzhou 桂林市:guilin 梧州市:wuzhou 北海市:beihai 玉林市:yulin 百色市:baise 河池市:hechi")},
	{place{"贵州省", "guizhou"}, "52", places("贵阳市:guiyang 遵义市:zunyi 六盘水市:liupanshui 安顺市:anshun 毕节市:bijie 铜仁市:tongren")},
	{place{"浙江省", "zhejiang"}, "33", places("杭州市:hangzhou 宁波市:ningbo 温州市:wenzhou 嘉兴市:jiaxing 湖州市:huzhou 绍兴市:shaoxing 金华市:jinhua 衢州市:quzhou 台州市:taizhou 丽水市:lishui")},
	{place{"江苏省", "jiangsu"}, "32", places("南京市:nanjing 无锡市:wuxi 徐州市:xuzhou 常州市:changzhou 苏州市:suzhou 南通市:nantong 连云港市:lianyungang 淮安市:huaian 盐城市:yancheng 扬州市:yangzhou")},
	{place{"山东省", "shandong"}, "37", places("济南市:jinan 青岛市:qingdao 淄博市:zibo 枣庄市:zaozhuang 烟台市:yantai 潍坊市:weifang 济宁市:jining 泰安市:taian 临沂市:linyi 菏泽市:heze")},
	{place{"河北省", "hebei"}, "13", places("石家庄市:shijiazhuang 唐山市:tangshan 秦皇岛市:qinhuangdao 邯郸市:handan 邢台市:xingtai 保定市:baoding 张家口市:zhangjiakou 承德市:chengde 沧州市:cangzhou 廊坊市:langfang 衡水市:hengshui")},
	{place{"福建省", "fujian"}, "35", places("福州市:fuzhou 厦门市:xiamen 莆田市:putian 泉州市:quanzhou 漳州市:zhangzhou 南平市:nanping 龙岩市:longyan 宁德市:ningde")},
	{place{"陕西省", "shaanxi"}, "61", places("西安市:xian 宝鸡市:baoji 咸阳市:xianyang 渭南市:weinan 汉中市:hanzhong 榆林市:yulin 延安市:yanan 安康市:ankang")},
	{place{"云南省", "yunnan"}, "53", places("昆明市:kunming 曲靖市:qujing 玉溪市:yuxi 保山市:baoshan 昭通市:zhaotong 丽江市:lijiang 普洱市:puer")},
	{place{"甘肃省", "gansu"}, "62", places("兰州市:lanzhou 天水市:tianshui 白银市:baiyin 武威市:wuwei 张掖市:zhangye 酒泉市:jiuquan 庆阳市:qingyang 平凉市:pingliang")},
	{place{"山西省", "shanxi"}, "14", places("太原市:taiyuan 大同市:datong 阳泉市:yangquan 长治市:changzhi 晋城市:jincheng 朔州市:shuozhou 晋中市:jinzhong 运城市:yuncheng 临汾市:linfen")},
}

// County names are two characters, a common first one and a common last
// one of Chinese place names, plus 县, 区 or 市.
var (
	countyFirst = places("安:an 平:ping 宁:ning 新:xin 永:yong 兴:xing 丰:feng 泰:tai 昌:chang 清:qing 云:yun 龙:long " +
		"华:hua 桃:tao 金:jin 宝:bao 武:wu 文:wen 长:chang 广:guang 德:de 信:xin 嘉:jia 乐:le 康:kang 福:fu " +
		"鹤:he 湘:xiang 沅:yuan 攸:you 祁:qi 隆:long 绥:sui 靖:jing 通:tong 会:hui 辰:chen 桂:gui 蓝:lan 临:lin " +
		"仁:ren 义:yi 宜:yi 东:dong 西:xi 南:nan 北:bei 江:jiang 石:shi 凤:feng 汉:han 茶:cha 望:wang 溆:xu 资:zi")
	countyLast = places("阳:yang 江:jiang 山:shan 河:he 平:ping 安:an 宁:ning 城:cheng 源:yuan 溪:xi 林:lin 丰:feng " +
		"水:shui 陵:ling 乡:xiang 化:hua 昌:chang 兴:xing 口:kou 台:tai 川:chuan 田:tian 沙:sha 湖:hu " +
		"泉:quan 峰:feng 桥:qiao 塘:tang 浦:pu 州:zhou")
)

func places(s string) []place {
	var out []place
	for _, f := range strings.Fields(s) {
		name, slug, _ := strings.Cut(f, ":")
		out = append(out, place{name, slug})
	}
	return out
}

// county is one made-up county of a city; its index in the city's pool of
// names fixes its name and suffix, so that it is the same county however
// often it is drawn.
type county struct {
	place
	index int // in [0, len(countyFirst)*len(countyLast))
}

func countyCount() int { return len(countyFirst) * len(countyLast) }

// countyOf returns county i of the city with the given global index; ok is
// false for the few pairs that repeat a character (平平).
func countyOf(cityKey, i int) (county, bool) {
	a, b := countyFirst[i/len(countyLast)], countyLast[i%len(countyLast)]
	if a.name == b.name {
		return county{}, false
	}
	// Mostly 县 and 区, a few county-level cities; a hash, not the rng,
	// so that the suffix belongs to the county rather than to a draw.
	suffix := "县"
	switch h := splitmix(uint64(cityKey)<<20|uint64(i)) % 10; {
	case h >= 6 && h <= 8:
		suffix = "区"
	case h == 9:
		suffix = "市"
	}
	return county{place{a.name + b.name + suffix, a.slug + b.slug}, i}, true
}

// provinceIndex is the index in provinces of the one whose pinyin is
// slug, or -1.
func provinceIndex(slug string) int {
	for i, p := range provinces {
		if p.slug == slug {
			return i
		}
	}
	return -1
}

// Provinces are the pinyin names Options.Province takes.
func Provinces() []string {
	out := make([]string, len(provinces))
	for i, p := range provinces {
		out[i] = p.slug
	}
	return out
}
