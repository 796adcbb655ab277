<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccessibleNames</name>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>More toolbar buttons</source>
        <translation>更多工具栏按钮</translation>
    </message>
</context>
<context>
    <name>AddressBar</name>
    <message>
        <source>Part of {platform}</source>
        <translation>属于 {platform}</translation>
    </message>
    <message>
        <source>County sign-in service</source>
        <translation>县统一身份认证</translation>
    </message>
    <message>
        <source>Part of {platform}, not of {expected}</source>
        <translation>属于 {platform}，不属于 {expected}</translation>
    </message>
    <message>
        <source>Not part of {expected}</source>
        <translation>不属于 {expected}</translation>
    </message>
    <message>
        <source>Not a platform of the county</source>
        <translation>不属于本县的平台</translation>
    </message>
    <message>
        <source>No page yet</source>
        <translation>尚未打开网页</translation>
    </message>
    <message>
        <source>Not encrypted</source>
        <translation>未加密</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Page address</source>
        <translation>网页地址</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>网站</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Whose page</source>
        <translation>网页归属</translation>
    </message>
</context>
<context>
    <name>Announcements</name>
    <message>
        <source>How current the inbox is</source>
        <translation>待办更新到什么时候</translation>
    </message>
    <message>
        <source>Who is signed in</source>
        <translation>登录的人</translation>
    </message>
    <message>
        <source>Inbox refreshed: {count} task(s) to do.</source>
        <translation>待办已刷新：共 {count} 项待办。</translation>
    </message>
    <message>
        <source> {count} new.</source>
        <translation>其中 {count} 项是新的。</translation>
    </message>
    <message>
        <source> None new.</source>
        <translation>没有新的待办。</translation>
    </message>
    <message>
        <source> {count} platform(s) could not be refreshed; their buttons say why.</source>
        <translation>有 {count} 个平台没有刷新成功，平台按钮上写着原因。</translation>
    </message>
    <message>
        <source>The inbox could not be refreshed: {error}</source>
        <translation>待办刷新失败：{error}</translation>
    </message>
    <message>
        <source>Signed in as {name}. Loading your tasks…</source>
        <translation>已登录：{name}。正在加载待办…</translation>
    </message>
    <message>
        <source>Signed out.</source>
        <translation>已退出登录。</translation>
    </message>
    <message>
        <source>The launcher is locked. Only the same person can open it again, by signing in; someone else uses Switch person.</source>
        <translation>一端通已锁定。只有本人重新登录才能继续；换别人用请按“换人”。</translation>
    </message>
    <message>
        <source>Unlocked. Your pages are as you left them.</source>
        <translation>已解锁，页面都保持原样。</translation>
    </message>
    <message>
        <source>Filled {count} field(s).</source>
        <translation>已填写 {count} 项。</translation>
    </message>
    <message>
        <source> {count} not filled; the fill panel says why.</source>
        <translation>有 {count} 项没有填上，填表面板里写着原因。</translation>
    </message>
    <message>
        <source>Signing in failed. {reason}</source>
        <translation>登录失败。{reason}</translation>
    </message>
</context>
<context>
    <name>Appearance</name>
    <message>
        <source>&amp;Normal text</source>
        <translation>正常文字(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Larger text (1.25×)</source>
        <translation>较大文字（1.25 倍）(&amp;L)</translation>
    </message>
    <message>
        <source>L&amp;argest text (1.5×)</source>
        <translation>特大文字（1.5 倍）(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;High contrast</source>
        <translation>高对比度(&amp;H)</translation>
    </message>
    <message>
        <source>Text size changed. The task list&apos;s columns fit it fully the next time the launcher starts.</source>
        <translation>文字大小已更改。待办列表的列宽在下次启动一端通时完全适应。</translation>
    </message>
    <message>
        <source>High contrast is on.</source>
        <translation>已打开高对比度。</translation>
    </message>
    <message>
        <source>High contrast is off.</source>
        <translation>已关闭高对比度。</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Audit log</source>
        <translation>操作记录</translation>
    </message>
    <message>
        <source>What you did with the launcher on this computer. Only field names are kept, never what was typed.</source>
        <translation>您在本机使用一端通所做的操作。只记录字段名称，从不记录填写的内容。</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>A spreadsheet for the county: times, actions, platforms and field names, no values</source>
        <translation>导出表格供县里查看：时间、操作、平台和字段名称，不含填写的内容</translation>
    </message>
    <message numerus="yes">
        <source>%n entries; the log is complete.</source>
        <translation>
            <numerusform>共 %n 条记录，记录完整，未发现删改。</numerusform>
        </translation>
    </message>
    <message>
        <source>The log is not complete:</source>
        <translation>操作记录不完整：</translation>
    </message>
    <message>
        <source>The audit log could not be read.</source>
        <translation>无法读取操作记录。</translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation>导出操作记录</translation>
    </message>
    <message>
        <source>audit-log</source>
        <translation>操作记录</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>The file could not be written.</source>
        <translation>无法写入文件。</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>Audit log…</source>
        <translation>操作记录…</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>操作记录</translation>
    </message>
    <message>
        <source>Sign in to see your audit log.</source>
        <translation>请先登录，再查看自己的操作记录。</translation>
    </message>
</context>
<context>
    <name>BrowserLoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Continue in your browser</source>
        <translation>请在浏览器中完成登录</translation>
    </message>
    <message>
        <source>Opening the county sign-in page in your browser…</source>
        <translation>正在浏览器中打开本县统一身份认证登录页…</translation>
    </message>
    <message>
        <source>Sign-in status</source>
        <translation>登录状态</translation>
    </message>
    <message>
        <source>Sign-in link</source>
        <translation>登录链接</translation>
    </message>
    <message>
        <source>Open again</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>复制链接</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Try signing in again</source>
        <translation>重新尝试登录</translation>
    </message>
    <message>
        <source>The county sign-in page is open in your browser. Sign in there; this window closes by itself when you are done. No browser page? Open it again, or copy the link into a browser on this computer.</source>
        <translation>本县统一身份认证登录页已在浏览器中打开，请在浏览器中登录；登录完成后本窗口会自动关闭。没有看到浏览器页面？请点“重新打开”，或复制链接到本机浏览器中打开。</translation>
    </message>
    <message>
        <source>No browser could be opened. Copy the link into a browser on this computer and sign in there.</source>
        <translation>无法打开浏览器。请复制链接到本机浏览器中打开并登录。</translation>
    </message>
    <message>
        <source>The link is copied. Paste it into your browser.</source>
        <translation>链接已复制，请粘贴到浏览器地址栏中打开。</translation>
    </message>
</context>
<context>
    <name>ChangedValues</name>
    <message>
        <source>Update the platforms</source>
        <translation>更新各平台的信息</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>You changed {fields}. These platforms received the old value in a form: open each one&apos;s page and press Fill there to update it.</source>
        <translation>您修改了{fields}。以下平台的表单填过旧的值：请打开各平台的页面，在那里按“填表”更新。</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <source>Filled</source>
        <translation>填写时间</translation>
    </message>
    <message>
        <source>{form} (opens its account page)</source>
        <translation>{form}（打开个人资料页）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open {platform}</source>
        <translation>打开{platform}</translation>
    </message>
</context>
<context>
    <name>Contact</name>
    <message>
        <source>phone {phone}</source>
        <translation>电话 {phone}</translation>
    </message>
    <message>
        <source>e-mail {email}</source>
        <translation>邮箱 {email}</translation>
    </message>
    <message>
        <source>County IT team: {name}, {ways}</source>
        <translation>县信息化团队：{name}，{ways}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>{label}: {value}</source>
        <translation>{label}：{value}</translation>
    </message>
</context>
<context>
    <name>ContactPanel</name>
    <message>
        <source>The county file gives no contact for the county IT team. Ask the colleague who looks after the computers in your township, or your county&apos;s information office.</source>
        <translation>本县的配置文件没有提供县信息化团队的联系方式。请问问本乡镇负责电脑的同事，或者县里的信息化部门。</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>服务时间</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the phone number</source>
        <translation>复制电话号码</translation>
    </message>
    <message>
        <source>Copy the e-mail address</source>
        <translation>复制电子邮件地址</translation>
    </message>
    <message>
        <source>Phone number copied.</source>
        <translation>已复制电话号码。</translation>
    </message>
    <message>
        <source>E-mail address copied.</source>
        <translation>已复制电子邮件地址。</translation>
    </message>
</context>
<context>
    <name>DeviceLoginDialog</name>
    <message>
        <source>Sign in with another device</source>
        <translation>用其他设备登录</translation>
    </message>
    <message>
        <source>Getting a sign-in code…</source>
        <translation>正在获取登录码…</translation>
    </message>
    <message>
        <source>Sign-in status</source>
        <translation>登录状态</translation>
    </message>
    <message>
        <source>QR code of the sign-in address</source>
        <translation>登录地址二维码</translation>
    </message>
    <message>
        <source>Sign-in address</source>
        <translation>登录地址</translation>
    </message>
    <message>
        <source>Sign-in code</source>
        <translation>登录码</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制登录码</translation>
    </message>
    <message>
        <source>New code</source>
        <translation>获取新登录码</translation>
    </message>
    <message>
        <source>Get a new sign-in code</source>
        <translation>获取新的登录码</translation>
    </message>
    <message>
        <source>Scan the QR code with your phone, or open the address below in any browser and enter the code. Then sign in with your county account.</source>
        <translation>请用手机扫描二维码，或在任意浏览器中打开下面的地址并输入登录码，然后用本县统一身份认证账号登录。</translation>
    </message>
    <message>
        <source>The code has expired.</source>
        <translation>登录码已过期。</translation>
    </message>
    <message>
        <source>The code expires in {minutes}:{seconds:02d}.</source>
        <translation>登录码将在 {minutes}:{seconds:02d} 后过期。</translation>
    </message>
</context>
<context>
    <name>DownloadBar</name>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Close downloads bar</source>
        <translation>关闭下载栏</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message>
        <source>Downloaded file</source>
        <translation>下载的文件</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>下载进度</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Failed: {reason}</source>
        <translation>失败：{reason}</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>正在下载…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>Downloads</name>
    <message>
        <source>Save download</source>
        <translation>保存下载的文件</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show or hide the value</source>
        <translation>显示或隐藏内容</translation>
    </message>
    <message>
        <source>Show {field}</source>
        <translation>显示{field}</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
</context>
<context>
    <name>FillChooser</name>
    <message>
        <source>The household, place or person the form is for</source>
        <translation>这张表单所填的户、场所或人员</translation>
    </message>
    <message>
        <source>Type to search your one table; the fields are planned again</source>
        <translation>输入文字在一张表中查找；选中后重新匹配字段</translation>
    </message>
    <message>
        <source>Which household, place or person this form is for</source>
        <translation>这张表单填的是哪一户、哪个场所或哪个人</translation>
    </message>
    <message>
        <source>For:</source>
        <translation>填报对象：</translation>
    </message>
    <message>
        <source>The record the form is filled from</source>
        <translation>用来填写表单的记录</translation>
    </message>
    <message>
        <source>Which of its records fills this form, newest first</source>
        <translation>用哪一条记录填写（最新的在前）</translation>
    </message>
    <message>
        <source>Record:</source>
        <translation>记录：</translation>
    </message>
    <message>
        <source>(leave the subject&apos;s details out)</source>
        <translation>（不填对象信息）</translation>
    </message>
    <message>
        <source>(a new record: fill none of it)</source>
        <translation>（新的记录：不填）</translation>
    </message>
</context>
<context>
    <name>FillPreview</name>
    <message>
        <source>Fill preview</source>
        <translation>填表预览</translation>
    </message>
    <message>
        <source>Show sensitive values</source>
        <translation>显示敏感信息</translation>
    </message>
    <message>
        <source>Confirm filling sensitive values</source>
        <translation>确认填入敏感信息</translation>
    </message>
    <message>
        <source>Fields to fill</source>
        <translation>要填写的项</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>填入</translation>
    </message>
    <message>
        <source>Fill the ticked fields (Enter)</source>
        <translation>填入勾选的项（回车）</translation>
    </message>
    <message>
        <source>Fill the ticked fields</source>
        <translation>填入勾选的项</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Fill nothing (Esc)</source>
        <translation>不填写任何内容（Esc）</translation>
    </message>
    <message>
        <source>Cancel: fill nothing</source>
        <translation>取消：不填写任何内容</translation>
    </message>
    <message>
        <source>Fill {page}: check before filling</source>
        <translation>填表：{page}，请先核对</translation>
    </message>
    <message>
        <source>Nothing is filled until you press Fill. Sensitive values are filled only when you tick them.</source>
        <translation>按“填入”之前不会填写任何内容。敏感信息只有在您勾选后才会填入。</translation>
    </message>
    <message>
        <source>Nothing is filled until you press Fill.</source>
        <translation>按“填入”之前不会填写任何内容。</translation>
    </message>
    <message>
        <source>{value} · from {source} · match: {sure}</source>
        <translation>{value} · 来自{source} · 匹配：{sure}</translation>
    </message>
    <message>
        <source> · sensitive</source>
        <translation> · 敏感信息</translation>
    </message>
    <message>
        <source>sensitive value, hidden</source>
        <translation>敏感信息，已隐藏</translation>
    </message>
    <message>
        <source>{label}: {value}</source>
        <translation>{label}：{value}</translation>
    </message>
    <message>
        <source>from {source}, match: {sure}</source>
        <translation>来自{source}，匹配：{sure}</translation>
    </message>
    <message>
        <source>Filling…</source>
        <translation>正在填写…</translation>
    </message>
    <message>
        <source>Not filled:</source>
        <translation>未填入：</translation>
    </message>
    <message>
        <source>{label}: {why}</source>
        <translation>{label}：{why}</translation>
    </message>
    <message>
        <source>Fields on the page with no value:</source>
        <translation>页面上没有对应信息的项：</translation>
    </message>
    <message>
        <source>Every ticked field was filled.</source>
        <translation>勾选的各项均已填入。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the fill panel</source>
        <translation>关闭填表面板</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find in page</source>
        <translation>在页面中查找</translation>
    </message>
    <message>
        <source>Matches</source>
        <translation>匹配项</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter)</source>
        <translation>上一个匹配（Shift+Enter）</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Next match (Enter)</source>
        <translation>下一个匹配（Enter）</translation>
    </message>
    <message>
        <source>Close find bar</source>
        <translation>关闭查找栏</translation>
    </message>
    <message>
        <source>Close find bar (Esc)</source>
        <translation>关闭查找栏（Esc）</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>无匹配</translation>
    </message>
    <message>
        <source>{active} of {total}</source>
        <translation>第 {active} 项，共 {total} 项</translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <source>No county configured</source>
        <translation>尚未配置本县</translation>
    </message>
    <message>
        <source>No county is configured on this computer yet.</source>
        <translation>这台电脑上还没有配置本县的平台。</translation>
    </message>
    <message>
        <source>Your county IT team provides a county file (county.toml); put it at {path}.</source>
        <translation>县里的信息化团队会提供本县配置文件（county.toml），请将它放在 {path}。</translation>
    </message>
    <message>
        <source>Your county IT team provides a county file (county.toml); put it at {path}. Meanwhile you can try the launcher on the built-in demo county. Open the demo county?</source>
        <translation>县里的信息化团队会提供本县配置文件（county.toml），请将它放在 {path}。在此之前，您可以先用内置的示范县体验一端通。现在打开示范县吗？</translation>
    </message>
    <message>
        <source>Demo county not installed</source>
        <translation>示范县未安装</translation>
    </message>
    <message>
        <source>The demo county is not installed on this computer.</source>
        <translation>这台电脑上没有安装示范县。</translation>
    </message>
    <message>
        <source>To install it, run: {command}</source>
        <translation>如需安装，请运行：{command}</translation>
    </message>
</context>
<context>
    <name>FormFiller</name>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Reading the page&apos;s fields…</source>
        <translation>正在读取页面上的填写项…</translation>
    </message>
    <message>
        <source>No value in the one table for: {fields}</source>
        <translation>一张表中缺少：{fields}</translation>
    </message>
    <message>
        <source>Check the fields in the fill panel, then press Fill (Enter).</source>
        <translation>请在填表面板中核对各项，然后按“填入”（回车）。</translation>
    </message>
    <message>
        <source>Planning the fields again…</source>
        <translation>正在重新匹配字段…</translation>
    </message>
    <message>
        <source>The fill could not be planned; nothing was filled.</source>
        <translation>无法生成填表方案；未填写任何内容。</translation>
    </message>
    <message>
        <source>Open a platform&apos;s form page first; nothing was filled.</source>
        <translation>请先打开平台的表单页面；未填写任何内容。</translation>
    </message>
    <message>
        <source>This page does not belong to any platform of the county; nothing was filled.</source>
        <translation>此页面不属于本县任何平台；未填写任何内容。</translation>
    </message>
    <message>
        <source>This page is not a form of {platform}; nothing was filled.</source>
        <translation>此页面不是{platform}的表单；未填写任何内容。</translation>
    </message>
    <message>
        <source>The page changed before it could be filled; please try again.</source>
        <translation>填写前页面已变化，请重试。</translation>
    </message>
    <message>
        <source>No field on this page of {platform} matches a value in the one table; nothing was filled.</source>
        <translation>{platform}的此页面上没有与一张表中的信息对应的填写项；未填写任何内容。</translation>
    </message>
    <message>
        <source>Fill cancelled; nothing was filled.</source>
        <translation>已取消填表；未填写任何内容。</translation>
    </message>
    <message>
        <source>No field was ticked; nothing was filled.</source>
        <translation>没有勾选任何一项；未填写任何内容。</translation>
    </message>
    <message>
        <source>The page did not answer; nothing was filled.</source>
        <translation>页面没有响应；未填写任何内容。</translation>
    </message>
    <message>
        <source>The page refused to be filled ({why}).</source>
        <translation>页面拒绝填写（{why}）。</translation>
    </message>
    <message>
        <source>Filled {count} field(s)</source>
        <translation>已填写 {count} 项</translation>
    </message>
    <message>
        <source>; not filled on the page: {fields}</source>
        <translation>，页面上未能填写：{fields}</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <source>Guide</source>
        <translation>使用指南</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>目录</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <source>To do</source>
        <translation>待办</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>Awaiting review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>提交失败</translation>
    </message>
    <message>
        <source>Not submitted</source>
        <translation>未提交</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>About: {subject}</source>
        <translation>对象：{subject}</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Asked by: {platforms}</source>
        <translation>以下平台均要求填报：{platforms}</translation>
    </message>
    <message>
        <source>Press Enter or double-click to open it.</source>
        <translation>按回车键或双击打开。</translation>
    </message>
    <message>
        <source>No deadline</source>
        <translation>无截止时间</translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Every pending task</source>
        <translation>全部待办事项</translation>
    </message>
    <message>
        <source>Tasks due later today (China time); overdue ones are under Overdue</source>
        <translation>今天到期、尚未逾期的事项（北京时间）；已逾期的在“逾期”中</translation>
    </message>
    <message>
        <source>Tasks due from now to Sunday of this week (China time)</source>
        <translation>从现在到本周日到期的事项（北京时间）</translation>
    </message>
    <message>
        <source>Tasks past their due time and not done</source>
        <translation>已过截止时间且未办结的事项</translation>
    </message>
    <message>
        <source>Show tasks of platform</source>
        <translation>按平台筛选待办</translation>
    </message>
    <message>
        <source>All platforms</source>
        <translation>全部平台</translation>
    </message>
    <message>
        <source>Search tasks (Ctrl+F)</source>
        <translation>搜索待办（Ctrl+F）</translation>
    </message>
    <message>
        <source>Search tasks</source>
        <translation>搜索待办</translation>
    </message>
    <message>
        <source>&amp;Platform:</source>
        <translation>平台(&amp;P)：</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>标记完成</translation>
    </message>
    <message>
        <source>Mark the selected task done on its platform (Ctrl+D)</source>
        <translation>在所属平台上将选中的事项标记为完成（Ctrl+D）</translation>
    </message>
    <message>
        <source>Fill once</source>
        <translation>一次填报</translation>
    </message>
    <message>
        <source>Fill in the record once and submit it to every platform of the row (Ctrl+E)</source>
        <translation>只填一次，提交到这一行的所有平台（Ctrl+E）</translation>
    </message>
    <message>
        <source>Fill once and submit to the platforms</source>
        <translation>一次填报并提交到各平台</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Split (not the same work)</source>
        <translation>拆分（这些不是同一项工作）</translation>
    </message>
    <message>
        <source>These tasks are not one piece of work: show them as separate rows</source>
        <translation>这些不是同一项工作：分开显示</translation>
    </message>
    <message>
        <source>Merge again</source>
        <translation>合并回来</translation>
    </message>
    <message>
        <source>Show this task together with its matches again</source>
        <translation>重新与相同的事项合并显示</translation>
    </message>
    <message>
        <source>Pending tasks</source>
        <translation>待办事项</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>{view} ({count})</source>
        <translation>{view}（{count}）</translation>
    </message>
    <message>
        <source>Open {platform}</source>
        <translation>打开 {platform}</translation>
    </message>
    <message>
        <source>Fill once (submit to {count} platforms)…</source>
        <translation>一次填报（提交到 {count} 个平台）…</translation>
    </message>
    <message>
        <source>No task matches the filter.</source>
        <translation>没有符合条件的待办。</translation>
    </message>
</context>
<context>
    <name>LedgerDialog</name>
    <message>
        <source>Burden ledger</source>
        <translation>减负账本</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Days used</source>
        <translation>使用天数</translation>
    </message>
    <message>
        <source>Opens</source>
        <translation>打开次数</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>待办</translation>
    </message>
    <message>
        <source>Forms filled</source>
        <translation>填表次数</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>填入字段</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>报送</translation>
    </message>
    <message>
        <source>Use of each platform</source>
        <translation>各平台使用情况</translation>
    </message>
    <message>
        <source>Export for the county…</source>
        <translation>导出给县里…</translation>
    </message>
    <message>
        <source>Reading the ledger…</source>
        <translation>正在读取账本…</translation>
    </message>
    <message>
        <source>Sign in to see your ledger.</source>
        <translation>请先登录，查看您的减负账本。</translation>
    </message>
    <message>
        <source>Nothing counted yet: the ledger fills as you work.</source>
        <translation>还没有记录：账本会随您的工作逐步累计。</translation>
    </message>
    <message>
        <source>Since {first}: about {hours:.1f} hours saved; {signins} sign-ins without typing, {fields} fields filled for you, {multi} records sent to several platforms at once.</source>
        <translation>自 {first} 起：约节省 {hours:.1f} 小时；免输入登录 {signins} 次，自动填入 {fields} 个字段，一次填报多平台 {multi} 条。</translation>
    </message>
    <message>
        <source>How the time is estimated: {lines}</source>
        <translation>节省时间的估算依据：{lines}</translation>
    </message>
    <message>
        <source>Minutes saved by week</source>
        <translation>每周节省的分钟数</translation>
    </message>
    <message>
        <source>Export the burden ledger</source>
        <translation>导出减负账本</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv);;PDF (*.pdf)</source>
        <translation>Excel (*.xlsx);;CSV (*.csv);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Not exported: {error}</source>
        <translation>未能导出：{error}</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Yiduantong is locked</source>
        <translation>一端通已锁定</translation>
    </message>
    <message>
        <source>Sign in again to continue</source>
        <translation>重新登录以继续</translation>
    </message>
    <message>
        <source>Switch person</source>
        <translation>换人</translation>
    </message>
    <message>
        <source>Ends this person&apos;s session, closes their pages; the next person signs in.</source>
        <translation>结束此人的登录并关闭其网页，由下一位登录。</translation>
    </message>
    <message>
        <source>{name}&apos;s session is locked. Only {name} can open it again; someone else uses 换人 (switch person).</source>
        <translation>{name} 的登录已锁定。只有 {name} 本人可以重新登录解锁；其他人请点“换人”。</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>Details: {detail}</source>
        <translation>详细信息：{detail}</translation>
    </message>
    <message>
        <source>Technical details</source>
        <translation>技术细节</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign in with your county account.</source>
        <translation>请使用本县统一身份认证账号登录。</translation>
    </message>
    <message>
        <source>Sign-in status</source>
        <translation>登录状态</translation>
    </message>
    <message>
        <source>County sign-in page</source>
        <translation>统一身份认证登录页</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Try signing in again</source>
        <translation>重新登录</translation>
    </message>
    <message>
        <source>Checking the sign-in…</source>
        <translation>正在核验登录…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Yiduantong</source>
        <translation>一端通</translation>
    </message>
    <message>
        <source>Work area</source>
        <translation>工作区</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>待办</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>一张表</translation>
    </message>
    <message>
        <source>Loading the county…</source>
        <translation>正在加载本县配置…</translation>
    </message>
    <message>
        <source>Platform blocked</source>
        <translation>平台已被停用</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Fill form</source>
        <translation>填表</translation>
    </message>
    <message>
        <source>Fill this page from the one table (Alt+F)</source>
        <translation>从一张表填写本页（Alt+F）</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Search tasks</source>
        <translation>搜索待办</translation>
    </message>
    <message>
        <source>Close tab</source>
        <translation>关闭标签页</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Loading problems…</source>
        <translation>加载问题…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出程序</translation>
    </message>
    <message>
        <source>Saved passwords…</source>
        <translation>已保存的密码…</translation>
    </message>
    <message>
        <source>One table</source>
        <translation>一张表</translation>
    </message>
    <message>
        <source>Your details, households, residents, places and records</source>
        <translation>我的信息、户、人、场所和检查记录</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>账号(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Work</source>
        <translation>工作(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Yiduantong — {county}</source>
        <translation>一端通 — {county}</translation>
    </message>
    <message>
        <source>{count} platform(s) could not be loaded; Help → Loading problems tells why.</source>
        <translation>有 {count} 个平台未能加载；原因见“帮助 → 加载问题”。</translation>
    </message>
    <message>
        <source>Please sign in to see your tasks.</source>
        <translation>请先登录，查看您的待办。</translation>
    </message>
    <message>
        <source>Loading problems</source>
        <translation>加载问题</translation>
    </message>
    <message>
        <source>These platforms were skipped; the others work as usual. Tell your county IT team:</source>
        <translation>以下平台已跳过，其他平台照常使用。请告知县信息化团队：</translation>
    </message>
    <message>
        <source>The county could not be opened:
{error}</source>
        <translation>无法打开本县配置：
{error}</translation>
    </message>
    <message>
        <source>Signed in: {name}</source>
        <translation>已登录：{name}</translation>
    </message>
    <message>
        <source>Loading your tasks…</source>
        <translation>正在加载您的待办…</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Welcome, {name}.</source>
        <translation>欢迎，{name}。</translation>
    </message>
    <message>
        <source>You are signed out. Please sign in to see your tasks.</source>
        <translation>您已退出登录。请登录后查看待办。</translation>
    </message>
    <message>
        <source>Refreshing…</source>
        <translation>正在刷新…</translation>
    </message>
    <message>
        <source>Refresh failed: {error}</source>
        <translation>刷新失败：{error}</translation>
    </message>
    <message>
        <source>Refreshing… waiting for {count} platform(s)</source>
        <translation>正在刷新…还在等待 {count} 个平台</translation>
    </message>
    <message>
        <source>Nothing to do: no platform has a pending task for you.</source>
        <translation>暂无待办：各平台都没有需要您处理的事项。</translation>
    </message>
    <message>
        <source>Showing saved tasks; refreshing…</source>
        <translation>显示的是上次保存的待办，正在刷新…</translation>
    </message>
    <message>
        <source>Refreshed at {time}; {count} platform(s) failed</source>
        <translation>{time} 已刷新；{count} 个平台出错</translation>
    </message>
    <message>
        <source>Refreshed at {time}</source>
        <translation>{time} 已刷新</translation>
    </message>
    <message>
        <source>The change of grouping could not be saved: {error}</source>
        <translation>无法保存分组更改：{error}</translation>
    </message>
    <message>
        <source>New page</source>
        <translation>新页面</translation>
    </message>
    <message>
        <source>{title} ({state})</source>
        <translation>{title}（{state}）</translation>
    </message>
    <message>
        <source>this page</source>
        <translation>此网页</translation>
    </message>
    <message>
        <source>Blocked a window {host} tried to open by itself ({count} blocked in this tab).</source>
        <translation>已阻止 {host} 自行打开的窗口（此标签页已阻止 {count} 个）。</translation>
    </message>
    <message>
        <source>Blocked a window {host} opened: too many windows ({count} blocked in this tab).</source>
        <translation>已阻止 {host} 打开的窗口：窗口过多（此标签页已阻止 {count} 个）。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language takes effect the next time the launcher starts.</source>
        <translation>新的界面语言将在下次启动一端通时生效。</translation>
    </message>
    <message>
        <source>About Yiduantong</source>
        <translation>关于一端通</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Yiduantong {version}&lt;/h3&gt;&lt;p&gt;One entry, one login, one inbox and one table for township staff.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;一端通 {version}&lt;/h3&gt;&lt;p&gt;一个入口、一次登录、一张待办清单、基层一张表。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Burden &amp;ledger…</source>
        <translation>减负账本(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Task monitor…</source>
        <translation>任务管理器(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Guide</source>
        <translation>使用指南(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Contact the county IT team…</source>
        <translation>联系县信息化团队(&amp;C)…</translation>
    </message>
</context>
<context>
    <name>MarkDone</name>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Marked done on {platforms}: {title}</source>
        <translation>已在{platforms}标记完成：{title}</translation>
    </message>
    <message>
        <source>{platform}: {reason}</source>
        <translation>{platform}：{reason}</translation>
    </message>
    <message>
        <source>Detail: {detail}</source>
        <translation>详情：{detail}</translation>
    </message>
    <message>
        <source>These tasks stay in the inbox.</source>
        <translation>这些事项仍保留在待办中。</translation>
    </message>
    <message>
        <source>{platforms} cannot be marked done from the launcher: finish it on the platform&apos;s own page.</source>
        <translation>{platforms}不支持在一端通中标记完成，请在平台自己的页面上办结。</translation>
    </message>
    <message>
        <source>Marking done on {platform} ({number}/{total})…</source>
        <translation>正在{platform}标记完成（{number}/{total}）…</translation>
    </message>
    <message>
        <source>Marking done failed: {error}</source>
        <translation>标记完成失败：{error}</translation>
    </message>
    <message>
        <source>Marking done…</source>
        <translation>正在标记完成…</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>标记完成</translation>
    </message>
    <message>
        <source>Not everything could be marked done.</source>
        <translation>有事项未能标记完成。</translation>
    </message>
</context>
<context>
    <name>PackBar</name>
    <message>
        <source>Got it</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>Close the county pack notice</source>
        <translation>关闭县平台包提示</translation>
    </message>
</context>
<context>
    <name>PageLifecycle</name>
    <message>
        <source>Frozen; click to wake it</source>
        <translation>已冻结，点击恢复</translation>
    </message>
    <message>
        <source>Memory freed; click to load it again</source>
        <translation>已释放，点击重新载入</translation>
    </message>
</context>
<context>
    <name>PageNav</name>
    <message>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation>后退（Alt+Left）</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>前进</translation>
    </message>
    <message>
        <source>Forward (Alt+Right)</source>
        <translation>前进（Alt+Right）</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <source>Reload this page (F5)</source>
        <translation>重新加载此页（F5）</translation>
    </message>
</context>
<context>
    <name>PagePrint</name>
    <message>
        <source>Sent the page to the printer.</source>
        <translation>已将页面发送到打印机。</translation>
    </message>
    <message>
        <source>The page could not be printed.</source>
        <translation>页面无法打印。</translation>
    </message>
    <message>
        <source>Save page as PDF</source>
        <translation>将页面另存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved the page as {file}.</source>
        <translation>页面已另存为 {file}。</translation>
    </message>
    <message>
        <source>The page could not be saved as {file}.</source>
        <translation>页面无法另存为 {file}。</translation>
    </message>
</context>
<context>
    <name>PageTools</name>
    <message>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>前进</translation>
    </message>
    <message>
        <source>Reload page</source>
        <translation>重新加载页面</translation>
    </message>
    <message>
        <source>Find in page…</source>
        <translation>在页面中查找…</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Reopen closed tab</source>
        <translation>重新打开关闭的标签页</translation>
    </message>
    <message>
        <source>&amp;Page</source>
        <translation>页面(&amp;P)</translation>
    </message>
    <message>
        <source>Zoom {percent}%</source>
        <translation>缩放 {percent}%</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Password for {platform}</source>
        <translation>{platform}的密码</translation>
    </message>
    <message>
        <source>Sign in to {platform}</source>
        <translation>登录{platform}</translation>
    </message>
    <message>
        <source>{platform} refused the saved password. Enter your current user name and password for it.</source>
        <translation>{platform}拒绝了保存的密码。请输入您在该平台现在的用户名和密码。</translation>
    </message>
    <message>
        <source>{platform} has its own login, separate from the county sign-in. Enter your user name and password for it; the launcher fills in its login page for you.</source>
        <translation>{platform}有自己的登录，与全县统一登录分开。请输入您在该平台的用户名和密码，一端通会替您填写它的登录页。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Save in the system keyring</source>
        <translation>保存在系统密钥环中</translation>
    </message>
    <message>
        <source>Kept for your county account only; signing out keeps it. Account → Saved passwords… deletes it.</source>
        <translation>只为您的县统一账号保存；退出登录后仍保留。可在“账号 → 已保存的密码…”中删除。</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>PlatformStatePanel</name>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Show each platform&apos;s state</source>
        <translation>显示各平台状态</translation>
    </message>
    <message>
        <source>State of each platform</source>
        <translation>各平台状态</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last updated</source>
        <translation>最后更新</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>待办数</translation>
    </message>
    <message>
        <source>Platform states: {summary}</source>
        <translation>平台状态：{summary}</translation>
    </message>
    <message>
        <source>Hide each platform&apos;s state</source>
        <translation>隐藏各平台状态</translation>
    </message>
</context>
<context>
    <name>PlatformStates</name>
    <message>
        <source>Updated</source>
        <translation>已更新</translation>
    </message>
    <message>
        <source>Updated {time}</source>
        <translation>已更新 {time}</translation>
    </message>
    <message>
        <source>Failed: {reason}</source>
        <translation>失败：{reason}</translation>
    </message>
    <message>
        <source>No saved data</source>
        <translation>无离线数据</translation>
    </message>
    <message>
        <source>Offline data, as of {time}</source>
        <translation>离线数据，截至 {time}</translation>
    </message>
    <message>
        <source>Showing the tasks saved at {time}.</source>
        <translation>显示的是 {time} 保存的待办。</translation>
    </message>
    <message>
        <source>Only the first {count} tasks are shown.</source>
        <translation>只显示前 {count} 项待办。</translation>
    </message>
    <message>
        <source>Showing saved tasks.</source>
        <translation>显示的是上次保存的待办。</translation>
    </message>
    <message>
        <source>Not refreshed yet.</source>
        <translation>尚未刷新。</translation>
    </message>
    <message>
        <source>{reason} {saved}</source>
        <translation>{reason}{saved}</translation>
    </message>
    <message>
        <source>{count} platform(s) up to date</source>
        <translation>{count} 个平台已更新</translation>
    </message>
    <message>
        <source>{count} with offline data (as of {time})</source>
        <translation>{count} 个离线数据（截至 {time}）</translation>
    </message>
    <message>
        <source>{count} with offline data</source>
        <translation>{count} 个离线数据</translation>
    </message>
    <message>
        <source>{count} failed</source>
        <translation>{count} 个失败</translation>
    </message>
    <message>
        <source>{count} need(s) sign-in</source>
        <translation>{count} 个需重新登录</translation>
    </message>
    <message>
        <source>{count} still refreshing</source>
        <translation>{count} 个正在刷新</translation>
    </message>
    <message>
        <source>{count} not loaded yet</source>
        <translation>{count} 个尚未加载</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
</context>
<context>
    <name>PlatformTile</name>
    <message>
        <source>{state}, {detail}</source>
        <translation>{state}，{detail}</translation>
    </message>
    <message>
        <source>{name}: {state}</source>
        <translation>{name}：{state}</translation>
    </message>
    <message>
        <source>{name}, {count} pending, {state}</source>
        <translation>{name}，{count} 项待办，{state}</translation>
    </message>
    <message>
        <source>{name}, {state}</source>
        <translation>{name}，{state}</translation>
    </message>
    <message>
        <source>Opens the platform; the launcher asks for its password once.</source>
        <translation>打开该平台；一端通会询问一次它的密码。</translation>
    </message>
    <message>
        <source>Opens the platform, signed in with the saved password.</source>
        <translation>打开该平台，并用保存的密码登录。</translation>
    </message>
    <message>
        <source>Says why the county blocked this platform and whom to call.</source>
        <translation>说明县里为何停用此平台以及联系谁。</translation>
    </message>
    <message>
        <source>Opens the platform in a new tab, signed in.</source>
        <translation>在新标签页中打开该平台（已自动登录）。</translation>
    </message>
</context>
<context>
    <name>ProfileView</name>
    <message>
        <source>Enter your details once; Fill puts them into platform forms. Sensitive values are encrypted on this computer.</source>
        <translation>资料只需填写一次，“填表”会把它们填入各平台的表单。敏感信息在本机加密保存。</translation>
    </message>
    <message>
        <source>Profile status</source>
        <translation>一张表状态</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>保存一张表</translation>
    </message>
    <message>
        <source>&amp;Undo changes</source>
        <translation>撤销修改(&amp;U)</translation>
    </message>
    <message>
        <source>Sign in to see and edit your profile.</source>
        <translation>登录后才能查看和填写您的资料。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>The profile could not be read: {error}</source>
        <translation>无法读取一张表：{error}</translation>
    </message>
    <message>
        <source>The profile this computer kept before the update is now in your account. It may hold someone else&apos;s details: check every value, and clear what is not yours.</source>
        <translation>本机在升级前保存的资料表已移入您的账号。其中可能有他人的信息：请逐项核对，删除不属于您的内容。</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有修改。</translation>
    </message>
    <message>
        <source>Saving failed: {error}</source>
        <translation>保存失败：{error}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>{count} value(s) need correcting.</source>
        <translation>有 {count} 项需要修改。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>QuitQuestion</name>
    <message>
        <source>Profile: changes not saved</source>
        <translation>一张表：修改尚未保存</translation>
    </message>
    <message>
        <source>{name}: the page says its changes are not saved</source>
        <translation>{name}：页面提示有修改尚未保存</translation>
    </message>
    <message>
        <source>{name}: typed into a form, not sent yet</source>
        <translation>{name}：表单里填写的内容还没有提交</translation>
    </message>
    <message>
        <source>Quit Yiduantong?</source>
        <translation>退出一端通？</translation>
    </message>
    <message>
        <source>What you typed has not been saved; quitting now loses it:</source>
        <translation>以下填写的内容还没有保存，现在退出就会丢失：</translation>
    </message>
    <message>
        <source>Go back to save it, or quit anyway.</source>
        <translation>可以取消并返回保存，也可以仍然退出。</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SavedPasswordsDialog</name>
    <message>
        <source>Saved passwords</source>
        <translation>已保存的密码</translation>
    </message>
    <message>
        <source>Platforms with their own login. Their passwords are kept in the system keyring for your county account; signing out keeps them.</source>
        <translation>以下平台有自己的登录。它们的密码为您的县统一账号保存在系统密钥环中，退出登录后仍保留。</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Signs in by itself</source>
        <translation>自动登录</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>(not saved)</source>
        <translation>（未保存）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No: fills in only</source>
        <translation>否：只填入</translation>
    </message>
    <message>
        <source>Paused after an unsuccessful attempt</source>
        <translation>已暂停（上次登录未成功）</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <source>Signed out on this computer. The identity service did not revoke {count} token(s): they stay valid there until they expire.</source>
        <translation>已在本机退出登录。统一身份认证服务未能吊销 {count} 个令牌：它们在到期前仍然有效。</translation>
    </message>
    <message>
        <source>Contacting the identity service…</source>
        <translation>正在连接统一身份认证服务…</translation>
    </message>
    <message>
        <source>Signed in with the county sign-in you made on a web page.</source>
        <translation>已使用您在网页中完成的统一身份认证登录。</translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation>正在退出登录…</translation>
    </message>
    <message>
        <source>Signing out did not finish on this computer. Close the launcher, open it and sign out again; if it keeps happening, contact the county IT team (the details are in the log).</source>
        <translation>本机的退出登录没有完成。请关闭一端通，重新打开后再退出登录；如果一直这样，请联系县信息化团队（详细信息已写入日志）。</translation>
    </message>
    <message>
        <source>Signed out.</source>
        <translation>已退出登录。</translation>
    </message>
    <message>
        <source>You signed in to the county identity service on a web page. Press Sign in to finish signing in to the launcher.</source>
        <translation>您已在网页中登录统一身份认证。请点击“登录”完成一端通的登录。</translation>
    </message>
</context>
<context>
    <name>SignInBanner</name>
    <message>
        <source>Sign in again</source>
        <translation>重新登录</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>The sign-in is no longer valid for {platforms}. Their tasks may be out of date; the other platforms are not affected.</source>
        <translation>{platforms}的登录已失效，其待办可能不是最新的；其他平台不受影响。</translation>
    </message>
</context>
<context>
    <name>SubmitDialog</name>
    <message>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>Awaiting review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Fill once, submit to {count} platforms</source>
        <translation>一次填报，提交到 {count} 个平台</translation>
    </message>
    <message>
        <source>submitted directly</source>
        <translation>由一端通直接提交</translation>
    </message>
    <message>
        <source>its form opens in a tab, filled in, for you to check and submit</source>
        <translation>在标签页中打开已预填的表单，请您核对后提交</translation>
    </message>
    <message>
        <source>Fields of the record</source>
        <translation>记录的各项内容</translation>
    </message>
    <message>
        <source>* a platform needs this value to take the record</source>
        <translation>* 为平台接收记录所必需的项</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>提交结果</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Submit to {count} platforms</source>
        <translation>提交到 {count} 个平台</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Submitting…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <source>Submit again</source>
        <translation>重新提交</translation>
    </message>
    <message>
        <source>Reading the record…</source>
        <translation>正在读取记录…</translation>
    </message>
    <message>
        <source>The record could not be read: {error}</source>
        <translation>无法读取记录：{error}</translation>
    </message>
    <message>
        <source>Nothing was sent: the record could not be saved ({error})</source>
        <translation>未发送：记录无法保存（{error}）</translation>
    </message>
</context>
<context>
    <name>TableWindow</name>
    <message>
        <source>Kinds of the table</source>
        <translation>一张表的类别</translation>
    </message>
    <message>
        <source>My details</source>
        <translation>我的信息</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>人</translation>
    </message>
    <message>
        <source>Places</source>
        <translation>场所</translation>
    </message>
    <message>
        <source>Organisations</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Inspections</source>
        <translation>检查记录</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>（未填）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Today: {field}</source>
        <translation>{field}填今天</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Choose a file: {field}</source>
        <translation>为{field}选择文件</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show {field}</source>
        <translation>显示{field}</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Search…</source>
        <translation>搜索…</translation>
    </message>
    <message>
        <source>Search {kind}</source>
        <translation>搜索{kind}</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>New entry in {kind}</source>
        <translation>新建一条{kind}</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Import {kind} from a spreadsheet</source>
        <translation>从表格导入{kind}</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Export {kind} to a spreadsheet</source>
        <translation>把{kind}导出为表格</translation>
    </message>
    <message>
        <source>About</source>
        <translation>检查对象</translation>
    </message>
    <message>
        <source>{kind} list</source>
        <translation>{kind}列表</translation>
    </message>
    <message>
        <source>About (household, place…)</source>
        <translation>检查对象（户、场所…）</translation>
    </message>
    <message>
        <source>About:</source>
        <translation>检查对象：</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>History</source>
        <translation>修改历史</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>改动的项</translation>
    </message>
    <message>
        <source>History of the record</source>
        <translation>这条记录的修改历史</translation>
    </message>
    <message>
        <source>On each platform</source>
        <translation>各平台的结果</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>平台的说明</translation>
    </message>
    <message>
        <source>Outcome on each platform</source>
        <translation>在各平台的报送结果</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete this entry</source>
        <translation>删除此条</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>撤销修改</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save this entry</source>
        <translation>保存此条</translation>
    </message>
    <message>
        <source>Sign in to see and edit the table.</source>
        <translation>请登录后查看和编辑一张表。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>{count} entries.</source>
        <translation>共 {count} 条。</translation>
    </message>
    <message>
        <source>Failed: {error}</source>
        <translation>失败：{error}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>New entry</source>
        <translation>新的一条</translation>
    </message>
    <message>
        <source>{count} value(s) need correcting.</source>
        <translation>有 {count} 项需要更正。</translation>
    </message>
    <message>
        <source>Enter at least one value.</source>
        <translation>请至少填写一项。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>没有保存：{error}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Delete “{name}”? This cannot be undone.</source>
        <translation>删除“{name}”？删除后无法恢复。</translation>
    </message>
    <message>
        <source>Deleted.</source>
        <translation>已删除。</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>No change</source>
        <translation>没有改动</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Import a spreadsheet</source>
        <translation>导入表格</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.csv)</source>
        <translation>表格文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Not imported: {error}</source>
        <translation>没有导入：{error}</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Export to a spreadsheet</source>
        <translation>导出为表格</translation>
    </message>
    <message>
        <source>Exported to {path}.</source>
        <translation>已导出到 {path}。</translation>
    </message>
    <message>
        <source>The file holds {fields} in clear: keep it safe and delete it when done.</source>
        <translation>文件中的{fields}是明文，请妥善保管，用完即删除。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已报送</translation>
    </message>
    <message>
        <source>Waiting for you to submit on the page</source>
        <translation>待您在页面上提交</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Someone else signed in: nothing was exported.</source>
        <translation>登录的人已更换，没有导出。</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Nothing was imported: {error}</source>
        <translation>没有导入任何一行：{error}</translation>
    </message>
    <message>
        <source>Nothing was imported: {count} problem(s) in the spreadsheet. Correct them and import it again.</source>
        <translation>没有导入任何一行：表格中有 {count} 处问题。请更正后重新导入。</translation>
    </message>
    <message>
        <source>Problems per row</source>
        <translation>每行的问题</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>(whole row)</source>
        <translation>（整行）</translation>
    </message>
    <message>
        <source>… and {count} more.</source>
        <translation>……另有 {count} 处。</translation>
    </message>
    <message>
        <source>Imported {count} row(s).</source>
        <translation>已导入 {count} 行。</translation>
    </message>
    <message>
        <source>Imported {count} row(s): {added} new, {updated} updated, {unchanged} unchanged.</source>
        <translation>已导入 {count} 行：新增 {added} 行，更新 {updated} 行，{unchanged} 行没有变化。</translation>
    </message>
    <message>
        <source>Columns not read: {columns}</source>
        <translation>未读取的列：{columns}</translation>
    </message>
</context>
<context>
    <name>TaskMonitor</name>
    <message>
        <source>Task monitor</source>
        <translation>任务管理器</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Open pages</source>
        <translation>打开的页面</translation>
    </message>
    <message>
        <source>Pages that share a process share its memory: their rows give it once, and the totals count it once.</source>
        <translation>几个页面共用一个网页进程时，也共用它的内存：各行给出的是这个进程的内存，合计里只算一次。</translation>
    </message>
    <message>
        <source>&amp;Free memory</source>
        <translation>释放内存(&amp;F)</translation>
    </message>
    <message>
        <source>Free the chosen page&apos;s memory</source>
        <translation>释放所选页面的内存</translation>
    </message>
    <message>
        <source>Unloads the page; a click on its tab loads it again. A page holding typed input, a download or a print is only frozen.</source>
        <translation>卸载页面，点击它的标签页会重新载入。有输入内容、正在下载或打印的页面只冻结，不释放。</translation>
    </message>
    <message>
        <source>&amp;Close page</source>
        <translation>关闭页面(&amp;C)</translation>
    </message>
    <message>
        <source>Close the chosen page</source>
        <translation>关闭所选页面</translation>
    </message>
    <message>
        <source>Close the task monitor</source>
        <translation>关闭任务管理器</translation>
    </message>
    <message>
        <source>Freed</source>
        <translation>已释放</translation>
    </message>
    <message>
        <source>Frozen (typed input kept: not freed)</source>
        <translation>冻结（有输入的内容，不释放）</translation>
    </message>
    <message>
        <source>Frozen (downloading or printing: not freed)</source>
        <translation>冻结（正在下载或打印，不释放）</translation>
    </message>
    <message>
        <source>Frozen (a form in use: not freed)</source>
        <translation>冻结（表单正在使用，不释放）</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Active (shown)</source>
        <translation>活动（正在显示）</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>— (freed)</source>
        <translation>—（已释放）</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>{size} (one process for {count} pages)</source>
        <translation>{size}（{count} 个页面共用一个进程）</translation>
    </message>
    <message>
        <source>Reading the memory…</source>
        <translation>正在读取内存…</translation>
    </message>
    <message>
        <source>Yiduantong itself: {own}. Page processes: {pages}. QtWebEngine&apos;s other processes: {others}. In all: {total} ({kind}; a process shared by pages counted once).</source>
        <translation>一端通本身：{own}。页面进程：{pages}。QtWebEngine 的其他进程：{others}。合计：{total}（{kind}；几个页面共用的进程只算一次）。</translation>
    </message>
    <message>
        <source>The page on screen cannot be freed: show another tab first.</source>
        <translation>正在显示的页面不能释放：请先切换到其他标签页。</translation>
    </message>
</context>
<context>
    <name>TilePanel</name>
    <message>
        <source>Platforms</source>
        <translation>平台</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>Open Yiduantong</source>
        <translation>打开一端通</translation>
    </message>
    <message>
        <source>Yiduantong</source>
        <translation>一端通</translation>
    </message>
    <message>
        <source>Yiduantong — {count} pending</source>
        <translation>一端通 — {count} 项待办</translation>
    </message>
    <message>
        <source>{title} ({count})</source>
        <translation>{title} ({count})</translation>
    </message>
    <message>
        <source>{notice} (and {count} more)</source>
        <translation>{notice}（另有 {count} 项）</translation>
    </message>
    <message>
        <source>New task</source>
        <translation>新待办</translation>
    </message>
    <message>
        <source>Due within 24 hours</source>
        <translation>24 小时内到期</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>{count} overdue</source>
        <translation>{count} 项已逾期</translation>
    </message>
    <message>
        <source>{count} due within 24 hours</source>
        <translation>{count} 项 24 小时内到期</translation>
    </message>
    <message>
        <source>{count} new</source>
        <translation>{count} 项新待办</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{count} more tasks need attention</source>
        <translation>另有 {count} 项待办需要处理</translation>
    </message>
    <message>
        <source>Click to see them in the inbox.</source>
        <translation>点击在待办中查看。</translation>
    </message>
    <message>
        <source>Was due {time}</source>
        <translation>已于 {time} 到期</translation>
    </message>
    <message>
        <source>Due {time}</source>
        <translation>{time} 到期</translation>
    </message>
    <message>
        <source>Deadline changed (was {time})</source>
        <translation>截止时间已变更（原为 {time}）</translation>
    </message>
    <message>
        <source>{heading}: {task}</source>
        <translation>{heading}：{task}</translation>
    </message>
    <message>
        <source>{title} ({subject})</source>
        <translation>{title}（{subject}）</translation>
    </message>
</context>
<context>
    <name>Vault</name>
    <message>
        <source>Sign in to {platform} on its page; Account → Saved passwords… saves the password for next time.</source>
        <translation>请在页面上登录{platform}；在“账号 → 已保存的密码…”中保存密码，下次即可自动登录。</translation>
    </message>
    <message>
        <source>The login page of {platform} asks for a captcha: your user name and password are filled in. Type the captcha and press its login button.</source>
        <translation>{platform}的登录页需要验证码：用户名和密码已填入，请输入验证码后按页面上的登录按钮。</translation>
    </message>
    <message>
        <source>Your saved account for {platform} is filled in; press its sign-in button to continue.</source>
        <translation>{platform}的已保存账号已填入，请按页面上的登录按钮继续。</translation>
    </message>
    <message>
        <source>The login form of {platform} was not found on its login page.</source>
        <translation>在{platform}的登录页上没有找到登录表单。</translation>
    </message>
    <message>
        <source>The password for {platform} was refused.</source>
        <translation>{platform}拒绝了该密码。</translation>
    </message>
    <message>
        <source>The launcher does not sign in to {platform} by itself after an attempt that was refused or not confirmed: choose what to do in the bar above the page.</source>
        <translation>上次登录{platform}被拒绝或未能确认成功，一端通不会再自动登录：请在页面上方的提示栏中选择下一步。</translation>
    </message>
    <message>
        <source>The launcher could not confirm that signing in to {platform} worked.</source>
        <translation>无法确认{platform}登录成功。</translation>
    </message>
    <message>
        <source>{platform} refused the sign-in with the saved password (or asked for a captcha). So that the account is not locked, the launcher does not submit it again by itself.</source>
        <translation>{platform}保存的密码被拒绝（或需要验证码）。为避免账号被锁定，一端通不会再自动提交该密码。</translation>
    </message>
    <message>
        <source>The launcher could not confirm that signing in to {platform} worked. So that the account is not locked, it does not submit the saved password again by itself.</source>
        <translation>无法确认{platform}登录成功。为避免账号被锁定，一端通不会再自动提交保存的密码。</translation>
    </message>
    <message>
        <source>The password for {platform} is saved.</source>
        <translation>{platform}的密码已保存。</translation>
    </message>
    <message>
        <source>Saved passwords</source>
        <translation>已保存的密码</translation>
    </message>
    <message>
        <source>Sign in first: saved passwords belong to the county account signed in.</source>
        <translation>请先登录：保存的密码属于已登录的县统一账号。</translation>
    </message>
    <message>
        <source>The saved password for {platform} is deleted.</source>
        <translation>{platform}保存的密码已删除。</translation>
    </message>
    <message>
        <source>The system keyring could not be used: {error}</source>
        <translation>无法使用系统密钥环：{error}</translation>
    </message>
</context>
<context>
    <name>VaultNotice</name>
    <message>
        <source>Fill in only</source>
        <translation>只填入账号</translation>
    </message>
    <message>
        <source>Fill in the saved user name and password; you press the platform&apos;s login button (and type its captcha). The launcher then only fills in, until you update the password.</source>
        <translation>填入保存的用户名和密码，由您按平台的登录按钮（并输入验证码）。此后一端通只填入、不自动登录，直到您更新密码。</translation>
    </message>
    <message>
        <source>Update password…</source>
        <translation>更新密码…</translation>
    </message>
    <message>
        <source>Try once more</source>
        <translation>再试一次</translation>
    </message>
    <message>
        <source>Submit the saved password once, now. If that is not a clear success either, the launcher stops again.</source>
        <translation>现在用保存的密码再提交一次。如果仍未确认成功，一端通会再次停止自动登录。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>WebTab</name>
    <message>
        <source>Web page</source>
        <translation>网页</translation>
    </message>
</context>
</TS>
