<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <source>Your county IT team provides a county file (county.toml); put it at {path}. Meanwhile you can try the launcher on the built-in demo county. Open the demo county?</source>
        <translation>县里的信息化团队会提供本县配置文件（county.toml），请将它放在 {path}。在此之前，您可以先用内置的示范县体验一端通。现在打开示范县吗？</translation>
    </message>
</context>
<context>
    <name>FormFiller</name>
    <message>
        <source>, </source>
        <translation>、</translation>
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
        <source>; missing in your profile: {fields}</source>
        <translation>，一张表中缺少：{fields}</translation>
    </message>
    <message>
        <source>; not filled on the page: {fields}</source>
        <translation>，页面上未能填写：{fields}</translation>
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
        <source>, </source>
        <translation>、</translation>
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
        <source>Due</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>{title} ({subject})</source>
        <translation>{title}（{subject}）</translation>
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
        <source>Pending tasks</source>
        <translation>待办事项</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>No task matches the filter.</source>
        <translation>没有符合条件的待办。</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>The identity service cannot be reached. Check the network.</source>
        <translation>无法连接统一身份认证服务，请检查网络。</translation>
    </message>
    <message>
        <source>The identity service refused the sign-in.</source>
        <translation>统一身份认证服务拒绝了本次登录。</translation>
    </message>
    <message>
        <source>The sign-in answer failed a security check and was rejected.</source>
        <translation>登录应答未通过安全检查，已被拒绝。</translation>
    </message>
    <message>
        <source>You are signed out. Please sign in again.</source>
        <translation>您已退出登录，请重新登录。</translation>
    </message>
    <message>
        <source>The sign-in has expired. Please sign in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
    <message>
        <source>The county&apos;s identity service is set up wrongly.</source>
        <translation>本县统一身份认证服务配置有误。</translation>
    </message>
    <message>
        <source>Signing in failed.</source>
        <translation>登录失败。</translation>
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
        <source>The platform cannot be reached.</source>
        <translation>无法连接该平台。</translation>
    </message>
    <message>
        <source>The platform did not answer in time.</source>
        <translation>平台响应超时。</translation>
    </message>
    <message>
        <source>The sign-in is no longer valid for this platform.</source>
        <translation>该平台的登录已失效。</translation>
    </message>
    <message>
        <source>The platform reported an error.</source>
        <translation>平台返回了错误。</translation>
    </message>
    <message>
        <source>The platform&apos;s answer could not be read.</source>
        <translation>无法读取平台返回的数据。</translation>
    </message>
    <message>
        <source>The platform&apos;s plugin failed.</source>
        <translation>该平台的插件出错。</translation>
    </message>
    <message>
        <source>The platform&apos;s tasks could not be loaded.</source>
        <translation>无法加载该平台的待办。</translation>
    </message>
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
        <source>Fill this platform form from your profile</source>
        <translation>用“一张表”中的资料填写此平台表单</translation>
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
        <source>Showing saved tasks.</source>
        <translation>显示的是上次保存的待办。</translation>
    </message>
    <message>
        <source>New page</source>
        <translation>新页面</translation>
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
</context>
<context>
    <name>PlatformTile</name>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>已登录</translation>
    </message>
    <message>
        <source>Signed in (not current)</source>
        <translation>已登录（数据未更新）</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>出错</translation>
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
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>The profile could not be read: {error}</source>
        <translation>无法读取一张表：{error}</translation>
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
    <name>SessionController</name>
    <message>
        <source>Contacting the identity service…</source>
        <translation>正在连接统一身份认证服务…</translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation>正在退出登录…</translation>
    </message>
    <message>
        <source>Signed out on this computer, but the identity service could not be told: {error}</source>
        <translation>已在本机退出登录，但未能通知统一身份认证服务：{error}</translation>
    </message>
    <message>
        <source>Signed out.</source>
        <translation>已退出登录。</translation>
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
    <name>WebTab</name>
    <message>
        <source>Web page</source>
        <translation>网页</translation>
    </message>
</context>
</TS>
