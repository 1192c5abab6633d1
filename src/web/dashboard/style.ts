/** One small stylesheet for every page: readable on a phone first, wider tables on a desk. */
export const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#f4f5f7}
header{background:#b71c1c;color:#fff;padding:8px 12px 0}
.top{display:flex;align-items:center;justify-content:space-between;gap:8px}
.brand{font-weight:600;font-size:17px}
header form{margin:0}
header button{background:transparent;color:#fff;border:1px solid #fff8;border-radius:4px;padding:2px 8px;font-size:13px}
nav{display:flex;gap:2px;overflow-x:auto;margin-top:6px;-webkit-overflow-scrolling:touch}
nav a{color:#fde;text-decoration:none;padding:6px 10px;white-space:nowrap;border-radius:6px 6px 0 0}
nav a.on{background:#f4f5f7;color:#b71c1c;font-weight:600}
main{padding:12px;max-width:960px;margin:0 auto}
h1{font-size:18px;margin:4px 0 10px}
h2{font-size:16px;margin:0}
.banner{background:#fff4ce;border-bottom:1px solid #e6c200;padding:8px 12px;font-size:14px}
.card{background:#fff;border-radius:8px;padding:10px 12px;margin-bottom:10px;box-shadow:0 1px 2px #0001}
.muted{color:#6a737d;font-size:13px}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:10px}
.chip{background:#fff;border:1px solid #d0d7de;border-radius:14px;padding:2px 10px;font-size:13px;text-decoration:none;color:inherit}
.task{padding:8px 0;border-top:1px solid #eee}
.task:first-of-type{border-top:0}
.task .head{display:flex;gap:6px;align-items:baseline}
.code{font-weight:600;color:#b71c1c;min-width:2.5em}
.bar{flex:1;height:8px;background:#eaecef;border-radius:4px;overflow:hidden}
.bar span{display:block;height:100%;background:#2e7d32}
.late .bar span{background:#c62828}
.progress{display:flex;align-items:center;gap:8px;margin-top:4px}
.pct{min-width:3.5em;text-align:right;font-variant-numeric:tabular-nums;font-size:13px}
.tag{display:inline-block;font-size:12px;border-radius:4px;padding:0 5px;margin-left:4px;white-space:nowrap}
.tag.late{background:#ffebe9;color:#c62828}
.tag.done{background:#dafbe1;color:#1a7f37}
.tag.support{background:#ddf4ff;color:#0969da}
.tag.state{background:#eaecef;color:#57606a}
.item{padding:8px 0;border-top:1px solid #eee;font-size:14px;word-break:break-word}
.item form{margin:4px 0 0}
code{word-break:break-all}
ol.trail{margin:6px 0 0;padding-left:20px;font-size:13px}
form.login{max-width:340px;margin:40px auto}
input,select,textarea,button{font:inherit}
input[type=text],input[type=password],select,textarea{width:100%;padding:8px;border:1px solid #d0d7de;border-radius:6px;background:#fff}
.primary{background:#b71c1c;color:#fff;border:0;border-radius:6px;padding:8px 16px}
.error{color:#c62828}
.row{display:flex;gap:8px;margin-bottom:8px}
.row>*{flex:1;min-width:0}
#feed{height:55vh;min-height:260px;overflow-y:auto;background:#fff;border-radius:8px;padding:8px;box-shadow:0 1px 2px #0001}
.msg{margin:6px 0;max-width:88%;padding:6px 10px;border-radius:8px;white-space:pre-wrap;word-break:break-word}
.msg.me{margin-left:auto;background:#dcf8c6}
.msg.bot{background:#f1f3f5}
.msg.notice{background:#fff8e1}
.msg .who{display:block;font-size:12px;color:#6a737d}
#say{display:flex;gap:8px;margin-top:8px}
#say textarea{flex:1;height:44px;resize:vertical}
@media (min-width:700px){main{padding:16px}.task .head{font-size:15px}}
`;
