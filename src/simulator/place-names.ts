/**
 * The simulated province: Hunan, its prefecture-level cities (the inventory's regions) and their
 * districts and counties. Coordinates are the real city centres, so the map looks like a province.
 * Cities are listed outward from the capital, so a small network (few regions) is the Changsha –
 * Zhuzhou – Xiangtan cluster and a large one covers the whole province.
 */

export interface RegionPlace {
  name: string;
  /** Two-letter code used in cell, site and transport ids (`CS-0001-1`). */
  code: string;
  lat: number;
  lon: number;
  /** Relative population: the share of cells the region gets. */
  weight: number;
  /** Urban districts first (dense, close to the centre), then counties (towns with rural land around). */
  urban: readonly string[];
  counties: readonly string[];
}

export const HUNAN: readonly RegionPlace[] = [
  { name: 'Changsha', code: 'CS', lat: 28.228, lon: 112.939, weight: 10,
    urban: ['Furong', 'Tianxin', 'Yuelu', 'Kaifu', 'Yuhua', 'Wangcheng'],
    counties: ['Changsha County', 'Liuyang', 'Ningxiang'] },
  { name: 'Zhuzhou', code: 'ZZ', lat: 27.827, lon: 113.134, weight: 3.9,
    urban: ['Hetang', 'Lusong', 'Shifeng', 'Tianyuan', 'Lukou'],
    counties: ['Liling', 'You County', 'Chaling', 'Yanling'] },
  { name: 'Xiangtan', code: 'XT', lat: 27.83, lon: 112.944, weight: 2.7,
    urban: ['Yuhu', 'Yuetang'],
    counties: ['Xiangtan County', 'Xiangxiang', 'Shaoshan'] },
  { name: 'Yueyang', code: 'YY', lat: 29.357, lon: 113.129, weight: 5.1,
    urban: ['Yueyanglou', 'Yunxi', 'Junshan'],
    counties: ['Yueyang County', 'Huarong', 'Xiangyin', 'Pingjiang', 'Miluo', 'Linxiang'] },
  { name: 'Hengyang', code: 'HY', lat: 26.894, lon: 112.572, weight: 6.6,
    urban: ['Zhuhui', 'Yanfeng', 'Shigu', 'Zhengxiang', 'Nanyue'],
    counties: ['Hengyang County', 'Hengnan', 'Hengshan', 'Hengdong', 'Qidong', 'Leiyang', 'Changning'] },
  { name: 'Yiyang', code: 'YI', lat: 28.554, lon: 112.355, weight: 3.9,
    urban: ['Ziyang', 'Heshan'],
    counties: ['Nan County', 'Taojiang', 'Anhua', 'Yuanjiang'] },
  { name: 'Changde', code: 'CD', lat: 29.031, lon: 111.699, weight: 5.3,
    urban: ['Wuling', 'Dingcheng'],
    counties: ['Anxiang', 'Hanshou', 'Li County', 'Linli', 'Taoyuan', 'Shimen', 'Jinshi'] },
  { name: 'Loudi', code: 'LD', lat: 27.7, lon: 111.994, weight: 3.8,
    urban: ['Louxing'],
    counties: ['Shuangfeng', 'Xinhua', 'Lengshuijiang', 'Lianyuan'] },
  { name: 'Shaoyang', code: 'SY', lat: 27.239, lon: 111.467, weight: 6.5,
    urban: ['Shuangqing', 'Daxiang', 'Beita'],
    counties: ['Shaodong', 'Xinshao', 'Shaoyang County', 'Longhui', 'Dongkou', 'Suining', 'Xinning', 'Chengbu', 'Wugang'] },
  { name: 'Chenzhou', code: 'CZ', lat: 25.77, lon: 113.015, weight: 4.7,
    urban: ['Beihu', 'Suxian'],
    counties: ['Guiyang', 'Yizhang', 'Yongxing', 'Jiahe', 'Linwu', 'Rucheng', 'Guidong', 'Anren', 'Zixing'] },
  { name: 'Yongzhou', code: 'YZ', lat: 26.42, lon: 111.613, weight: 5.3,
    urban: ['Lingling', 'Lengshuitan'],
    counties: ['Qiyang', "Dong'an", 'Shuangpai', 'Dao County', 'Jiangyong', 'Ningyuan', 'Lanshan', 'Xintian', 'Jianghua'] },
  { name: 'Huaihua', code: 'HH', lat: 27.55, lon: 109.998, weight: 4.6,
    urban: ['Hecheng', 'Zhongfang'],
    counties: ['Yuanling', 'Chenxi', 'Xupu', 'Huitong', 'Mayang', 'Xinhuang', 'Zhijiang', 'Jingzhou', 'Tongdao', 'Hongjiang'] },
  { name: 'Zhangjiajie', code: 'ZJ', lat: 29.117, lon: 110.479, weight: 1.5,
    urban: ['Yongding', 'Wulingyuan'],
    counties: ['Cili', 'Sangzhi'] },
  { name: 'Xiangxi', code: 'XX', lat: 28.314, lon: 109.738, weight: 2.5,
    urban: ['Jishou'],
    counties: ['Luxi', 'Fenghuang', 'Huayuan', 'Baojing', 'Guzhang', 'Yongshun', 'Longshan'] },
];

/** Hunan's offset from UTC (China Standard Time, no daylight saving): traffic follows local hours. */
export const HUNAN_UTC_OFFSET_MINUTES = 480;
