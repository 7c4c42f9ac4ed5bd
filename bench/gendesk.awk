# gendesk.awk: write N synthetic knowledge entries under kb/ of the
# current directory. Run by gendesk.sh as: LC_ALL=C awk -v n=N -f gendesk.awk
#
# Deterministic on any awk: a Park-Miller generator with a fixed seed
# instead of rand(), whose sequence differs between mawk and gawk. Byte
# semantics (LC_ALL=C) everywhere; clen() counts UTF-8 characters.
#
# About 70% of the entries are Chinese, 30% English, over 21 categories.
# Each category has issues ("title phrase|keywords|scenario") and answer
# sentences, both separated by "~"; in a sentence {P} is a product, {N}
# and {K} numbers, {T} hours.

function rnd() {
	seed = (seed * 48271) % 2147483647
	return seed / 2147483647
}
function pick(n) { return int(rnd() * n) + 1 }
function clen(s,   t, cont) {
	t = s
	cont = gsub(/[\200-\277]/, "", t)
	return length(s) - cont
}
function q(s) { return "\"" s "\"" }	# the generated text holds no " or \
function fill(s) {
	gsub(/\{P\}/, prod, s)
	gsub(/\{N\}/, 2 + pick(13), s)
	gsub(/\{K\}/, 50 * pick(10), s)
	gsub(/\{T\}/, 12 * pick(6), s)
	return s
}
function addcat(lang, name, slug, issues, sents) {
	ncat++
	cat_lang[ncat] = lang
	cat_name[ncat] = name
	cat_slug[ncat] = slug
	cat_ni[ncat] = split(issues, tmp, "~")
	for (j = 1; j <= cat_ni[ncat]; j++)
		cat_issue[ncat, j] = tmp[j]
	cat_ns[ncat] = split(sents, tmp, "~")
	for (j = 1; j <= cat_ns[ncat]; j++)
		cat_sent[ncat, j] = tmp[j]
	if (lang == "zh")
		zh[++nzh] = ncat
	else
		en[++nen] = ncat
}

BEGIN {
	if (n == "")
		n = 100000
	seed = 20261122

	nzp = split("手机;笔记本电脑;洗衣机;冰箱;空调;电视;耳机;平板电脑;路由器;扫地机器人;" \
		"电饭煲;热水器;吸尘器;智能手表;相机;打印机;显示器;机械键盘;运动鞋;羽绒服;" \
		"床垫;沙发;奶粉;纸尿裤;咖啡机;空气净化器;电动牙刷;吹风机;行李箱;儿童座椅", zprod, ";")
	nep = split("phone;laptop;washer;fridge;TV;headphones;tablet;router;vacuum;watch;" \
		"camera;printer;monitor;keyboard;sneakers;jacket;mattress;blender;kettle;speaker", eprod, ";")
	nzsuf = split(";;怎么办;如何处理;的流程;需要多久;说明;问题咨询;规则;常见问题", zsuf, ";")
	nztag = split("高频;售后;新人必读;活动;夜班;重点", ztag, ";")
	netag = split("faq;common;new-agent;priority", etag, ";")

	zgen = "您好，非常理解您的心情，我这边马上为您核实处理。~" \
		"麻烦您提供一下订单号，我帮您查询具体情况。~" \
		"请您在「我的订单」中找到对应订单，点击「申请售后」提交申请。~" \
		"审核通过后系统会通过短信通知您，请注意查收。~" \
		"如果超过{N}个工作日仍未处理，您可以再次联系我们，我们会优先跟进。~" \
		"给您带来的不便我们深表歉意。~" \
		"您也可以拨打客服热线，工作时间为每天9:00至21:00。~" \
		"为了保障您的权益，请保留好相关照片和凭证。~" \
		"温馨提示：第三方店铺的商品需要联系店铺客服处理。~" \
		"我们会在{T}小时内给您回复处理结果。~" \
		"如有其他问题，欢迎随时联系在线客服。~" \
		"请您放心，我们会全程跟进直到问题解决。~" \
		"相关费用以页面显示为准，活动期间可能有所调整。~" \
		"处理结果会同步到您的账户消息中心。~" \
		"感谢您的耐心等待，祝您生活愉快。"
	nzg = split(zgen, zg, "~")
	egen = "Thank you for reaching out, and sorry for the trouble.~" \
		"Could you share your order number so I can look into it?~" \
		"You can follow the progress under My Orders in the app.~" \
		"We will send you an email as soon as the request is approved.~" \
		"If nothing changes within {N} business days, please contact us again and we will escalate it.~" \
		"Our support line is open every day from 9:00 to 21:00.~" \
		"Please keep photos of the item and the packaging until the case is closed.~" \
		"Items sold by third-party sellers are handled by the seller directly.~" \
		"We will get back to you within {T} hours.~" \
		"Is there anything else I can help you with today?"
	neg = split(egen, eg, "~")

	addcat("zh", "退款退货", "refund",
		"申请退款|退款,申请退款,售后|想申请退款~" \
		"退款多久到账|退款,到账,原路返回|已申请退款，询问钱什么时候退回~" \
		"七天无理由退货|退货,七天无理由,退款|签收后想无理由退货~" \
		"退货运费谁承担|退货,运费,运费险|询问退货运费由谁出~" \
		"退款被拒绝|退款,驳回,申诉|退款申请被商家拒绝~" \
		"部分退款|部分退款,退款,差价|只想退其中一部分金额~" \
		"退货地址查询|退货,寄回,地址|不知道退货寄到哪里~" \
		"退款进度查询|退款,进度,查询|想查询退款处理到哪一步~" \
		"换货申请|换货,尺码,质量问题|收到商品想换一件",
		"退款会按原支付方式原路退回，银行卡一般需要{N}个工作日到账。~" \
		"{P}在签收后7天内、商品完好且不影响二次销售的情况下，可以申请无理由退货。~" \
		"因质量问题产生的退货运费由我们承担，非质量问题的运费需要您自行承担。~" \
		"退货时请将{P}连同配件、赠品和发票一起寄回。~" \
		"商家会在收到退货后{T}小时内完成验货并退款。~" \
		"如果退款申请被拒绝，您可以在订单详情中发起申诉并上传凭证。")
	addcat("zh", "物流配送", "logistics",
		"物流信息更新慢|物流,快递,物流信息|物流信息好几天没有更新~" \
		"快递一直没到|快递,配送,催件|下单很久快递还没送到~" \
		"修改收货地址|收货地址,修改,物流|下单后想改收货地址~" \
		"包裹破损|破损,快递,理赔|收到的包裹外箱破损~" \
		"发货时间|发货,时效,预售|询问什么时候发货~" \
		"签收了但没收到货|签收,丢件,快递|物流显示已签收但本人没收到~" \
		"指定时间送货|预约配送,送货时间,快递|想约定周末送货~" \
		"偏远地区配送|偏远地区,运费,配送|收货地址在偏远地区",
		"物流信息更新可能存在延迟，通常在{T}小时内会刷新。~" \
		"您的{P}已从仓库发出，可以在订单详情中查看物流轨迹。~" \
		"如物流信息{N}天没有更新，我们会联系快递公司为您催件。~" \
		"签收时请当面检查包裹外观，如有破损可以拒收。~" \
		"偏远地区配送时间可能比正常地区多{N}天左右。~" \
		"修改收货地址需要在发货前操作，已发货的订单可以联系快递员改派。")
	addcat("zh", "保修维修", "warranty",
		"保修期多久|保修,保修期,三包|询问商品保修期多长~" \
		"维修进度查询|维修,进度,售后|送修后想知道修到哪一步~" \
		"保修卡丢失|保修卡,发票,保修|保修卡找不到了~" \
		"上门维修预约|上门维修,预约,师傅|想预约师傅上门维修~" \
		"人为损坏维修收费|维修,收费,人为损坏|商品摔坏想维修~" \
		"延保服务|延保,保修,服务|想给商品买延长保修~" \
		"维修后又坏了|返修,维修,质量问题|维修后同样问题又出现",
		"{P}自签收之日起享受一年全国联保，主要部件保修{N}年。~" \
		"保修期内非人为损坏的故障可以免费维修。~" \
		"人为损坏或进水不在免费保修范围内，维修费用以检测报价为准。~" \
		"您可以凭订单号或发票享受保修服务，保修卡丢失不影响保修。~" \
		"上门维修需要提前预约，师傅会在{T}小时内与您联系确认时间。~" \
		"维修完成后的同一故障享受九十天返修保障。")
	addcat("zh", "账户安全", "account",
		"忘记登录密码|密码,找回密码,登录|忘记了账号密码~" \
		"账号被冻结|冻结,账号,解封|账号突然被冻结无法登录~" \
		"修改绑定手机号|手机号,换绑,验证码|手机号不用了想换绑~" \
		"收不到验证码|验证码,短信,登录|登录时收不到短信验证码~" \
		"账号异地登录提醒|异地登录,安全,密码|收到异地登录提醒很担心~" \
		"注销账户|注销,账户,个人信息|想注销账户~" \
		"实名认证失败|实名认证,身份证,认证|实名认证一直提示失败",
		"您可以在登录页点击「忘记密码」，通过绑定手机号接收验证码重置密码。~" \
		"为了您的账户安全，请不要把验证码告诉任何人，客服不会向您索要验证码。~" \
		"账号被冻结通常是因为系统检测到异常操作，完成身份验证后即可解冻。~" \
		"如果收不到验证码，请检查手机是否开启了短信拦截，{N}分钟后再重新获取。~" \
		"换绑手机号需要验证原手机号或上传身份证照片。~" \
		"注销账户后订单记录和积分将无法恢复，请谨慎操作。")
	addcat("zh", "会员服务", "member",
		"会员积分规则|积分,会员,兑换|询问积分怎么获得和使用~" \
		"积分过期|积分,过期,清零|积分快要过期~" \
		"会员等级升级|会员等级,成长值,升级|想知道如何升级会员等级~" \
		"会员权益|会员,权益,免运费|询问会员有哪些权益~" \
		"生日礼包|生日礼,会员,优惠券|生日当月没收到礼包~" \
		"付费会员退订|付费会员,退订,自动续费|不想继续自动续费",
		"每消费1元可获得1个积分，积分可以在积分商城兑换优惠券或礼品。~" \
		"积分有效期为{N}个月，到期未使用的积分会自动清零。~" \
		"会员等级根据近一年的成长值计算，每月1日更新一次。~" \
		"金卡及以上会员每月可以领取免运费券和专属折扣。~" \
		"生日礼包会在生日当月的第一天发放到您的账户。~" \
		"付费会员可以随时关闭自动续费，已扣费的当期不退。")
	addcat("zh", "支付发票", "payment",
		"开具电子发票|发票,电子发票,开票|需要开发票报销~" \
		"发票抬头修改|发票抬头,修改,发票|发票抬头写错了~" \
		"支付失败|支付,付款失败,银行卡|付款时一直提示失败~" \
		"重复扣款|扣款,重复支付,退款|同一笔订单被扣了两次钱~" \
		"分期付款手续费|分期,手续费,免息|想分期购买询问手续费~" \
		"增值税专用发票|专票,增值税,发票|公司需要开增值税专用发票",
		"我们默认开具电子普通发票，与纸质发票具有同等法律效力。~" \
		"发票会在确认收货后{N}个工作日内开出，可以在订单详情中下载。~" \
		"发票抬头填写错误可以在开票后{N}天内申请换开一次。~" \
		"支付失败可能是银行卡限额或网络问题导致，建议更换支付方式重试。~" \
		"重复扣款的金额会在{T}小时内自动原路退回，无需额外操作。~" \
		"分期付款的手续费以银行页面显示为准，部分商品支持免息分期。")
	addcat("zh", "投诉处理", "complaint",
		"投诉客服态度|投诉,服务态度,客服|对客服的服务态度不满~" \
		"投诉快递员|投诉,快递员,配送|快递员态度差还不送上门~" \
		"虚假宣传投诉|投诉,虚假宣传,商品描述|商品和描述严重不符~" \
		"投诉处理进度|投诉,进度,回访|投诉后一直没有结果~" \
		"要求赔偿|赔偿,投诉,补偿|要求商家赔偿损失~" \
		"升级投诉|升级,投诉,主管|对处理结果不满想找主管",
		"您的投诉我们已经记录，专员会在{T}小时内与您联系。~" \
		"我们非常重视您反馈的问题，会对相关人员进行核查和处理。~" \
		"投诉处理结果会通过短信和电话告知您，并在结束后安排回访。~" \
		"如果对处理结果不满意，可以申请升级由主管为您处理。~" \
		"经核实确属我方责任的，我们会按照规定给予相应补偿。")
	addcat("zh", "技术支持", "tech",
		"无法开机|开机,故障,重启|突然无法开机~" \
		"无法连接无线网络|无线网络,连接,路由器|设备连不上无线网络~" \
		"应用闪退|闪退,应用,更新|打开应用就闪退~" \
		"设备无法充电|充电,充电器,电池|插上充电器没有反应~" \
		"系统升级失败|系统升级,固件,失败|系统升级到一半失败~" \
		"蓝牙配对失败|蓝牙,配对,连接|蓝牙一直配对不上~" \
		"屏幕出现花屏|屏幕,花屏,显示|屏幕出现条纹或花屏",
		"请先长按电源键{N}秒强制重启{P}，大多数问题重启后即可恢复。~" \
		"如果无法连接无线网络，请尝试重启路由器并忘记网络后重新连接。~" \
		"应用闪退通常与版本过旧有关，请升级到最新版本后再试。~" \
		"充电没有反应时，请更换原装充电器和数据线再测试。~" \
		"系统升级前请确保电量在{N}0%以上并连接稳定的网络。~" \
		"以上方法无效的话，可以携带{P}到就近的服务网点检测。")
	addcat("zh", "订单管理", "order",
		"取消订单|取消订单,未发货,退款|下单后想取消订单~" \
		"修改订单信息|修改订单,规格,数量|下单后想改颜色和数量~" \
		"订单状态异常|订单,异常,状态|订单状态一直不变~" \
		"合并订单发货|合并发货,订单,运费|多个订单想一起发货~" \
		"订单找不到|订单,查询,记录|在我的订单里找不到订单",
		"未发货的订单可以在订单详情中直接取消，款项会原路退回。~" \
		"已发货的订单无法取消，您可以在收货后申请退货。~" \
		"订单信息修改需要在商家发货前完成，颜色和规格变更请联系客服。~" \
		"同一店铺同一地址的订单会尽量合并发货。~" \
		"订单状态一般会在{T}小时内同步更新，请稍后刷新查看。")
	addcat("zh", "优惠活动", "promo",
		"优惠券无法使用|优惠券,使用条件,满减|优惠券提示不可用~" \
		"满减活动规则|满减,活动,规则|询问满减怎么计算~" \
		"秒杀抢购失败|秒杀,抢购,库存|秒杀时一直抢不到~" \
		"赠品没有收到|赠品,满赠,漏发|活动赠品没有一起寄来~" \
		"预售定金退还|预售,定金,尾款|付了定金后不想要了",
		"优惠券需要满足使用门槛，并且只适用于指定范围的商品。~" \
		"满减活动按实付金额计算，每满{K}元减{N}元，可以与店铺券叠加。~" \
		"秒杀商品数量有限，先付款先得，未付款的订单不会占用库存。~" \
		"赠品随主商品一起发出，如有漏发请提供照片我们为您补发。~" \
		"预售商品的定金在未支付尾款时不予退还，特殊情况除外。")
	addcat("zh", "商品咨询", "product",
		"尺码选择|尺码,尺码表,选购|不知道选什么尺码~" \
		"是否正品|正品,授权,防伪|担心买到的不是正品~" \
		"库存查询|库存,到货,补货|想买的商品显示缺货~" \
		"使用方法|使用方法,说明书,操作|不会使用新买的商品~" \
		"参数咨询|参数,规格,型号|询问商品的详细参数",
		"{P}的尺码表在商品详情页下方，建议按平时的尺码选择。~" \
		"本店所有商品均为品牌官方授权正品，支持专柜验货。~" \
		"缺货商品可以点击「到货通知」，补货后会第一时间提醒您。~" \
		"{P}的详细参数可以在商品详情页的「规格参数」中查看。~" \
		"使用说明书可以在官网下载电子版，也可以观看商品页的使用视频。")
	addcat("zh", "安装服务", "install",
		"上门安装预约|安装,预约,师傅|收到大家电想预约安装~" \
		"安装收费标准|安装费,收费,辅材|询问安装要不要收费~" \
		"安装师傅迟到|安装,迟到,改约|师傅超过约定时间还没到~" \
		"自行安装指导|安装,说明书,视频|想自己动手安装",
		"大家电签收后，安装师傅会在{T}小时内联系您预约上门时间。~" \
		"基础安装免费，需要额外辅材的按照收费标准另行收取。~" \
		"如果师傅超过约定时间未到，我们会为您改约并给予补偿。~" \
		"简单的{P}可以参照说明书自行安装，遇到问题可以随时联系我们。")
	addcat("zh", "价格保护", "price",
		"买完就降价|价保,降价,差价|刚买完商品就降价了~" \
		"价格保护申请|价保,申请,退差价|想申请价格保护~" \
		"价保申请被拒|价保,规则,活动价|价保申请没有通过",
		"签收后{N}天内商品降价，可以申请价格保护退还差价。~" \
		"秒杀、拼团等活动价不在价格保护范围内。~" \
		"价保申请提交后差价会在{T}小时内退回到原支付账户。")
	addcat("zh", "以旧换新", "tradein",
		"以旧换新流程|以旧换新,回收,补贴|想用旧机换新机~" \
		"旧机估价|估价,回收,旧机|询问旧机能折多少钱~" \
		"回收款未到账|回收,到账,补贴|旧机寄出后钱一直没到",
		"以旧换新可以在下单时选择旧机回收，估价后抵扣新机货款。~" \
		"旧机估价以实际检测结果为准，检测后会通知您最终价格。~" \
		"回收款会在旧机检测完成后{N}个工作日内到账。")

	addcat("en", "returns", "returns",
		"Refund status|refund,status,return|asks where the refund is~" \
		"Request a refund|refund,return,request|wants to return an item for a refund~" \
		"Return label|return label,return,shipping|needs a prepaid return label~" \
		"Refund declined|refund,declined,appeal|says the refund request was declined~" \
		"Exchange an item|exchange,size,return|wants a different size",
		"Refunds go back to the original payment method and usually arrive within {N} business days.~" \
		"You can return the {P} within 30 days if it is unused and in its original packaging.~" \
		"We cover return shipping for defective items; a prepaid return label is on your order page.~" \
		"Once the warehouse receives the return, the refund is issued within {T} hours.~" \
		"If your refund was declined, you can appeal from the order page with photos.")
	addcat("en", "shipping", "shipping",
		"Tracking not updated|tracking,delivery,carrier|says the tracking has not changed for days~" \
		"Late delivery|delivery,delay,shipping|says the parcel is later than promised~" \
		"Change address|address,delivery,order|wants to change the delivery address~" \
		"Damaged parcel|damaged,parcel,claim|received a damaged parcel~" \
		"Lost package|lost,package,carrier|has a package marked delivered but missing",
		"Tracking updates can lag behind the parcel by up to {T} hours.~" \
		"If the tracking has not changed for {N} days, we will open a trace with the carrier.~" \
		"The delivery address can be changed until the order ships.~" \
		"If the parcel arrives damaged, refuse it or send us photos and we will file a claim.~" \
		"A package marked delivered but missing is investigated with the carrier within {N} days.")
	addcat("en", "account", "account",
		"Reset password|password,reset,login|forgot the password~" \
		"Account locked|account,locked,login|is locked out after failed logins~" \
		"Change email|email,account,verification|wants to change the account email~" \
		"No verification code|verification code,sms,login|gets no verification code~" \
		"Delete account|delete,account,privacy|wants to delete the account",
		"To reset your password, tap Forgot password on the sign-in page and follow the link we email you.~" \
		"After five failed sign-in attempts the account is locked for {N} minutes for your safety.~" \
		"We never ask for your verification code; do not share it with anyone.~" \
		"If the verification code does not arrive, check your spam filter and request a new one after 60 seconds.~" \
		"Deleting the account removes your order history and points permanently.")
	addcat("en", "billing", "billing",
		"Payment failed|payment,card,declined|says the card payment keeps failing~" \
		"Double charge|charge,duplicate,refund|was charged twice for one order~" \
		"Request invoice|invoice,receipt,billing|needs an invoice~" \
		"Coupon not working|coupon,discount,promo code|says the coupon code is rejected~" \
		"Installment plan|installment,payment,fees|asks about paying in installments",
		"A failed payment is often a card limit or a bank security check; try another card or call your bank.~" \
		"A duplicate charge is reversed automatically within {T} hours.~" \
		"Invoices can be downloaded from the order details page once the order is delivered.~" \
		"Coupon codes apply only to eligible items and cannot be combined with other promotions.~" \
		"Installment plans are available on orders over {K} dollars with selected cards.")
	addcat("en", "warranty-en", "warranty-en",
		"Warranty period|warranty,repair,coverage|asks how long the warranty lasts~" \
		"Repair status|repair,status,warranty|wants to know the repair status~" \
		"Screen repair|screen,repair,cracked|has a cracked screen~" \
		"Extended warranty|extended warranty,coverage,plan|asks about an extended warranty",
		"The {P} comes with a {N}-year limited warranty from the delivery date.~" \
		"Repairs under warranty are free unless the damage was accidental or caused by liquid.~" \
		"You can check the repair status with the case number we emailed you.~" \
		"An extended warranty plan can be added within 30 days of purchase.")
	addcat("en", "orders", "orders",
		"Cancel an order|cancel,order,refund|wants to cancel an order before it ships~" \
		"Missing item|missing item,order,parcel|has one item missing from the order~" \
		"Order not found|order,history,search|cannot find the order~" \
		"Wrong item|wrong item,exchange,order|received the wrong item",
		"Orders can be cancelled free of charge until they ship.~" \
		"If an item is missing, it may ship separately; check the tracking for a second parcel.~" \
		"Orders placed as a guest can be found with the order number and email address.~" \
		"If you received the wrong item, we will send the right one and a prepaid label for the return.")
	addcat("en", "technical", "technical",
		"Wi-Fi issues|wifi,network,router|says the device will not connect to wifi~" \
		"App crashes|app,crash,update|says the app crashes on start~" \
		"Not charging|charging,battery,charger|says the device does not charge~" \
		"Bluetooth pairing|bluetooth,pairing,connect|cannot pair over bluetooth",
		"Restart the {P} and the router, then forget the network and join it again.~" \
		"If the app keeps crashing, update it to the latest version and clear its cache.~" \
		"Try a different cable and charger; if the {P} still does not charge, book a repair.~" \
		"To pair over Bluetooth, turn the {P} off and on, remove the old pairing and try again.")

	if (listcats) {
		for (c = 1; c <= ncat; c++)
			print cat_name[c]
		exit
	}

	for (i = 1; i <= n; i++) {
		zh_entry = rnd() < 0.7
		c = zh_entry ? zh[pick(nzh)] : en[pick(nen)]
		split(cat_issue[c, pick(cat_ni[c])], iss, "|")
		nkw = split(iss[2], kw, ",")
		if (zh_entry) {
			prod = zprod[pick(nzp)]
			# a title of 8 to 20 characters: product, issue, a question
			title = iss[1] zsuf[pick(nzsuf)]
			if (rnd() < 0.6 || clen(title) < 8)
				title = prod title
			if (clen(title) < 8)
				title = title "怎么办"
			if (clen(title) < 8)
				title = "关于" title
			if (clen(title) > 20)
				title = iss[1]
			scen = "客户购买的" prod "，" iss[3]
			tag = ztag[pick(nztag)]
		} else {
			prod = eprod[pick(nep)]
			title = iss[1]
			if (rnd() < 0.5 && clen(prod) + 1 + clen(title) <= 20)
				title = toupper(substr(prod, 1, 1)) substr(prod, 2) " " tolower(substr(title, 1, 1)) substr(title, 2)
			scen = "The customer " iss[3] " (" prod ")"
			tag = etag[pick(netag)]
		}
		kw[++nkw] = prod
		kw[++nkw] = cat_name[c]
		kw[++nkw] = tolower(iss[1])
		want = 1 + pick(5)	# 2 to 6 keywords, each once
		split("", seen)
		kws = ""
		for (j = 1; j <= nkw && want > 0; j++) {
			if (kw[j] in seen)
				continue
			seen[kw[j]] = 1
			kws = kws (kws == "" ? "" : ", ") q(kw[j])
			want--
		}

		# the answer: category sentences with some generic ones, 80 to 400 characters
		target = 80 + pick(321)
		ans = ""
		al = 0
		split("", used)
		for (k = 0; k < 12 && al < target; k++) {
			# a sentence not yet in this answer: "c3" or "g7"
			do {
				if (k == 0 || rnd() < 0.55)
					key = "c" pick(cat_ns[c])
				else
					key = "g" pick(zh_entry ? nzg : neg)
			} while (key in used)
			used[key] = 1
			j = substr(key, 2) + 0
			s = fill(key ~ /^c/ ? cat_sent[c, j] : zh_entry ? zg[j] : eg[j])
			sl = clen(s) + (zh_entry || ans == "" ? 0 : 1)
			if (al + sl > 400 && al >= 80)
				break
			ans = ans (zh_entry || ans == "" ? "" : " ") s
			al += sl
		}
		id = sprintf("%s-%06d", cat_slug[c], i)
		path = "kb/" cat_name[c] "/" id ".yaml"
		printf "id: %s\ntitle: %s\ncategory: %s\nscenario: %s\nkeywords: [%s]\ntags: [%s]\nanswer: %s\n",
			id, q(title), q(cat_name[c]), q(scen), kws, q(tag), q(ans) > path
		close(path)
	}
}
