//! One self-contained HTML roadmap page (no network, no external files): every graph as SVG
//! from our layout, the legend, progress overall and per chapter, what is ready and the
//! critical path, a search box, and focus on a node's ancestors/descendants with a depth
//! limit, kept in the URL's fragment so a view can be shared.

use std::fmt::Write;

use serde_json::json;

use crate::graph::{Graph, Mode};
use crate::json::legend;
use crate::read::Blueprint;
use crate::roadmap::Roadmap;
use crate::svg::{escape, render};

const STYLE: &str = r#"
body{font-family:sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:10px 16px;background:#fff;border-bottom:1px solid #ddd}
h1{font-size:20px;margin:0 0 4px}
.note{color:#666;font-size:13px}
main{display:flex;min-height:calc(100vh - 70px)}
#side{width:340px;min-width:340px;padding:12px 16px;border-right:1px solid #ddd;background:#fff;overflow:auto;font-size:13px}
#view{flex:1;overflow:auto;padding:8px}
.bar{height:10px;background:#eee;border-radius:5px;overflow:hidden;margin:2px 0 8px}
.bar span{display:block;height:100%;background:#1CAC78}
.legend div{display:flex;align-items:center;gap:6px;margin:2px 0}
.swatch{width:22px;height:12px;border:2px solid #333;display:inline-block}
.controls input,.controls select{margin:2px 0 6px;width:100%;box-sizing:border-box}
.depgraph{display:none;background:#fff}
.depgraph.shown{display:block}
.node{cursor:pointer}
.node.dim{opacity:.12}
.node.match ellipse,.node.match rect{stroke-width:4;stroke:#d33}
.node.focus ellipse,.node.focus rect{stroke-width:4}
#details h3{margin:8px 0 4px;font-size:15px;word-break:break-all}
code{word-break:break-all}
ul{padding-left:18px;margin:4px 0}
"#;

const SCRIPT: &str = r#"
(function(){
'use strict';
const body=document.body;
window.addEventListener('error',function(e){body.dataset.errors=(body.dataset.errors||'')+e.message+';';});
const data=JSON.parse(document.getElementById('data').textContent);
const svgs=Array.from(document.querySelectorAll('svg.depgraph'));
const pick=document.getElementById('graph');
const search=document.getElementById('search');
const depthIn=document.getElementById('depth');
const dirIn=document.getElementById('dir');
const details=document.getElementById('details');
const firstFull=svgs.find(s=>s.querySelector('g.node'))||svgs[0];
let state={graph:firstFull?firstFull.dataset.graph:'',focus:'',depth:'',dir:'both'};
function readHash(){
  const h=new URLSearchParams(location.hash.slice(1));
  for(const k of ['graph','focus','depth','dir']){if(h.get(k)!==null){state[k]=h.get(k);}}
}
function writeHash(){
  const h=new URLSearchParams();
  for(const k of ['graph','focus','depth','dir']){if(state[k]){h.set(k,state[k]);}}
  history.replaceState(null,'','#'+h.toString());
}
function current(){return svgs.find(s=>s.dataset.graph===state.graph)||svgs[0];}
function nodesOf(svg){return Array.from(svg.querySelectorAll('g.node'));}
function edgesOf(svg){return Array.from(svg.querySelectorAll('path.edge'));}
function reach(svg,start,depth,forward){
  const next={};
  for(const e of edgesOf(svg)){
    const a=forward?e.dataset.from:e.dataset.to, b=forward?e.dataset.to:e.dataset.from;
    (next[a]=next[a]||[]).push(b);
  }
  const seen=new Set([start]);let frontier=[start];let steps=0;
  while(frontier.length&&(depth===null||steps<depth)){
    const nf=[];
    for(const x of frontier){for(const y of (next[x]||[])){if(!seen.has(y)){seen.add(y);nf.push(y);}}}
    frontier=nf;steps++;
  }
  return seen;
}
// Focus lays the kept nodes out again (layers by longest path, barycentre order, packed
// rows), so a node's neighbourhood reads on its own; clearing the focus restores the page's
// layout.
function geometry(svg){
  if(svg._geo){return svg._geo;}
  const g={viewBox:svg.getAttribute('viewBox'),width:svg.getAttribute('width'),height:svg.getAttribute('height'),nodes:new Map(),edges:new Map()};
  for(const n of nodesOf(svg)){
    const r=n.querySelector('rect'),e=n.querySelector('ellipse');
    const box=r?{x:+r.getAttribute('x')+(+r.getAttribute('width'))/2,y:+r.getAttribute('y')+(+r.getAttribute('height'))/2,w:+r.getAttribute('width'),h:+r.getAttribute('height')}
               :{x:+e.getAttribute('cx'),y:+e.getAttribute('cy'),w:2*(+e.getAttribute('rx')),h:2*(+e.getAttribute('ry'))};
    g.nodes.set(n.dataset.id,box);
  }
  for(const e of edgesOf(svg)){g.edges.set(e,e.getAttribute('d'));}
  svg._geo=g;return g;
}
function moveNode(n,box,x,y){
  const r=n.querySelector('rect'),e=n.querySelector('ellipse'),t=n.querySelector('text');
  if(r){r.setAttribute('x',(x-box.w/2).toFixed(1));r.setAttribute('y',(y-box.h/2).toFixed(1));}
  if(e){e.setAttribute('cx',x.toFixed(1));e.setAttribute('cy',y.toFixed(1));}
  t.setAttribute('x',x.toFixed(1));t.setAttribute('y',y.toFixed(1));
  n.dataset.x=x;n.dataset.y=y;
}
function restore(svg){
  const g=svg._geo;if(!g||!svg._moved){return;}
  for(const n of nodesOf(svg)){const b=g.nodes.get(n.dataset.id);moveNode(n,b,b.x,b.y);n.style.display='';}
  for(const [e,d] of g.edges){e.setAttribute('d',d);e.style.display='';}
  svg.setAttribute('viewBox',g.viewBox);svg.setAttribute('width',g.width);svg.setAttribute('height',g.height);
  svg._moved=false;
}
function relayout(svg,keep){
  const g=geometry(svg);
  const ids=Array.from(keep).filter(id=>g.nodes.has(id));
  const links=edgesOf(svg).filter(e=>keep.has(e.dataset.from)&&keep.has(e.dataset.to)&&e.dataset.from!==e.dataset.to);
  const preds={},succs={};for(const id of ids){preds[id]=[];succs[id]=[];}
  for(const e of links){succs[e.dataset.from].push(e.dataset.to);preds[e.dataset.to].push(e.dataset.from);}
  // Longest-path layers (Kahn); nodes left on a cycle go on the top layer.
  const layer={},indeg={};for(const id of ids){layer[id]=0;indeg[id]=preds[id].length;}
  const ready=ids.filter(id=>indeg[id]===0);
  while(ready.length){const v=ready.pop();for(const w of succs[v]){layer[w]=Math.max(layer[w],layer[v]+1);if(--indeg[w]===0){ready.push(w);}}}
  const rows=[];for(const id of ids){(rows[layer[id]]=rows[layer[id]]||[]).push(id);}
  for(let l=0;l<rows.length;l++){rows[l]=rows[l]||[];rows[l].sort((a,b)=>g.nodes.get(a).x-g.nodes.get(b).x);}
  const pos={};const index=()=>{for(const r of rows){r.forEach((id,k)=>{pos[id]=k;});}};index();
  for(let sweep=0;sweep<8;sweep++){
    const down=sweep%2===0;
    for(let k=0;k<rows.length;k++){
      const l=down?k:rows.length-1-k;const nb=down?preds:succs;
      const key=id=>nb[id].length?nb[id].reduce((a,u)=>a+pos[u],0)/nb[id].length:pos[id];
      rows[l].sort((a,b)=>key(a)-key(b)||pos[a]-pos[b]);rows[l].forEach((id,k2)=>{pos[id]=k2;});
    }
  }
  const gapX=24,gapY=64,margin=16;let width=0,y=margin;const at={};
  for(const r of rows){
    let x=margin,h=0;
    for(const id of r){const b=g.nodes.get(id);at[id]={x:x+b.w/2};x+=b.w+gapX;h=Math.max(h,b.h);}
    width=Math.max(width,x-gapX+margin);
    for(const id of r){at[id].y=y+h/2;}
    y+=h+gapY;
  }
  const height=y-gapY+margin;
  for(const n of nodesOf(svg)){
    const id=n.dataset.id;
    if(at[id]){moveNode(n,g.nodes.get(id),at[id].x,at[id].y);n.style.display='';}else{n.style.display='none';}
  }
  for(const e of edgesOf(svg)){
    const a=at[e.dataset.from],b=at[e.dataset.to];
    if(a&&b&&links.includes(e)){
      const ha=g.nodes.get(e.dataset.from).h/2,hb=g.nodes.get(e.dataset.to).h/2;
      e.setAttribute('d','M'+a.x.toFixed(1)+','+(a.y+ha).toFixed(1)+' L'+b.x.toFixed(1)+','+(b.y-hb).toFixed(1));e.style.display='';
    }else{e.style.display='none';}
  }
  svg.setAttribute('viewBox','0 0 '+width.toFixed(1)+' '+height.toFixed(1));
  svg.setAttribute('width',width.toFixed(0));svg.setAttribute('height',height.toFixed(0));
  svg._moved=true;
}
function overlaps(svg){
  const g=geometry(svg);let bad=0;
  const shown=nodesOf(svg).filter(n=>n.style.display!=='none');
  for(let i=0;i<shown.length;i++){for(let j=i+1;j<shown.length;j++){
    const a=shown[i],b=shown[j],ba=g.nodes.get(a.dataset.id),bb=g.nodes.get(b.dataset.id);
    const dx=Math.abs((+a.dataset.x)-(+b.dataset.x)),dy=Math.abs((+a.dataset.y)-(+b.dataset.y));
    if(dx<(ba.w+bb.w)/2-0.5&&dy<(ba.h+bb.h)/2-0.5){bad++;}
  }}
  return bad;
}
function show(){
  for(const s of svgs){s.classList.toggle('shown',s===current());}
  const svg=current(); if(!svg){return;}
  pick.value=svg.dataset.graph;
  const q=search.value.trim().toLowerCase();
  let keep=null;
  if(state.focus&&nodesOf(svg).some(n=>n.dataset.id===state.focus)){
    const d=state.depth===''?null:parseInt(state.depth,10);
    keep=new Set([state.focus]);
    if(state.dir!=='down'){reach(svg,state.focus,d,false).forEach(x=>keep.add(x));}
    if(state.dir!=='up'){reach(svg,state.focus,d,true).forEach(x=>keep.add(x));}
  }
  let matched=0;
  for(const n of nodesOf(svg)){
    const id=n.dataset.id;
    const hit=q!==''&&(id.toLowerCase().includes(q)||((data.nodes[id]||{}).title||'').toLowerCase().includes(q)||((data.nodes[id]||{}).lean||[]).some(l=>l.toLowerCase().includes(q)));
    if(hit){matched++;}
    n.classList.toggle('match',hit);
    n.classList.toggle('focus',id===state.focus);
    n.classList.toggle('dim',q!==''&&!hit&&keep===null);
  }
  if(keep!==null){relayout(svg,keep);}else{restore(svg);}
  body.dataset.matched=String(matched);
  body.dataset.visible=String(nodesOf(svg).filter(n=>!n.classList.contains('dim')&&n.style.display!=='none').length);
  describe(state.focus);
  writeHash();
}
function describe(id){
  const n=data.nodes[id];
  if(!n){details.innerHTML='<p class="note">Click a node to see it and focus on what it needs and what needs it.</p>';return;}
  const esc=s=>String(s).replace(/[&<>"']/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'})[c]);
  const list=xs=>xs.length?'<ul>'+xs.map(x=>'<li><code>'+esc(x)+'</code></li>').join('')+'</ul>':' none';
  details.innerHTML='<h3>'+esc(id)+'</h3><div>'+esc(n.kind)+(n.title?' — '+esc(n.title):'')+'</div>'+
    '<div class="note">'+esc(n.place)+'</div><div>status: '+esc(n.status)+'</div>'+
    '<div>Lean:'+list(n.lean)+'</div><div>uses:'+list(n.uses)+'</div><div>used by:'+list(n.used_by)+'</div>';
}
pick.addEventListener('change',function(){state.graph=pick.value;state.focus='';show();});
search.addEventListener('input',show);
search.addEventListener('keydown',function(e){
  if(e.key!=='Enter'){return;}
  const m=current().querySelector('g.node.match');
  if(m){state.focus=m.dataset.id;show();}
});
depthIn.addEventListener('change',function(){state.depth=depthIn.value;show();});
dirIn.addEventListener('change',function(){state.dir=dirIn.value;show();});
document.getElementById('clear').addEventListener('click',function(){state.focus='';search.value='';show();});
for(const s of svgs){
  s.addEventListener('click',function(e){
    const g=e.target.closest('g.node');
    if(g){state.focus=(state.focus===g.dataset.id)?'':g.dataset.id;show();}
  });
}
readHash();
depthIn.value=state.depth;dirIn.value=state.dir;
show();
body.dataset.nodes=String(svgs.reduce((k,s)=>k+nodesOf(s).length,0));
body.dataset.status='ready';
if(location.search.indexOf('selftest')>=0){
  // Exercise search and focus the way a user would, on the largest graph, and record what
  // they showed.
  const svg=svgs.reduce((a,b)=>nodesOf(b).length>nodesOf(a).length?b:a);
  state.graph=svg.dataset.graph;
  let best=null,degree=-1;
  for(const n of nodesOf(svg)){
    const id=n.dataset.id;
    const d=edgesOf(svg).filter(e=>e.dataset.from===id||e.dataset.to===id).length;
    if(d>degree){best=id;degree=d;}
  }
  state.focus=best;state.dir='up';state.depth='';show();
  const up=parseInt(body.dataset.visible,10);
  state.dir='both';show();
  const both=parseInt(body.dataset.visible,10);
  const overlapping=overlaps(svg);
  state.focus='';search.value=best;show();
  const matched=parseInt(body.dataset.matched,10);
  const all=nodesOf(svg).filter(n=>n.style.display!=='none').length;
  const ok=up>=1&&both>=up&&matched>=1&&overlapping===0&&all===nodesOf(svg).length;
  body.dataset.selftest=(ok?'ok':'failed')+' focus='+best+' up='+up+' both='+both+' matched='+matched+' overlapping='+overlapping+' restored='+all;
}
})();
"#;

/// The page.
pub fn page(bp: &Blueprint, graphs: &[Graph], roadmap: &Roadmap, mode: Mode) -> String {
    let ids = crate::graph::node_ids(bp);
    let root = bp.files.first().and_then(|f| f.parent());
    let title = bp
        .options
        .title
        .clone()
        .unwrap_or_else(|| "Blueprint roadmap".to_string());
    // Per-node facts for the details panel.
    let mut nodes = serde_json::Map::new();
    let mut used_by: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    let deps = crate::graph::prerequisites(bp);
    for (i, d) in deps.iter().enumerate() {
        for &j in d {
            used_by.entry(j).or_default().push(ids[i].clone());
        }
    }
    for (i, n) in bp.nodes.iter().enumerate() {
        let s = &roadmap.statuses[i];
        let status = if s.fully_proved {
            "fully proved"
        } else if s.done {
            if n.kind == "definition" {
                "defined"
            } else {
                "proved"
            }
        } else if s.can_prove && s.stated {
            "stated; ready to prove"
        } else if s.stated {
            "stated"
        } else if s.can_state {
            "ready to state"
        } else {
            "blocked"
        };
        let file = match root {
            Some(r) => n.file.strip_prefix(r).unwrap_or(&n.file),
            None => &n.file,
        };
        let uses: Vec<String> = deps[i].iter().map(|&j| ids[j].clone()).collect();
        nodes.insert(
            ids[i].clone(),
            json!({
                "kind": n.kind,
                "title": n.title,
                "lean": n.lean,
                "place": format!("{}:{}", file.display(), n.line),
                "status": status,
                "uses": uses,
                "used_by": used_by.remove(&i).unwrap_or_default(),
            }),
        );
    }
    let data = json!({ "nodes": nodes }).to_string().replace("</", "<\\/");

    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>{STYLE}</style></head>\n<body>\n<header><h1>{t}</h1><div class=\"note\">Generated by theorist from the blueprint's LaTeX; statuses by {rules}. Nothing here was checked by Lean.</div></header>\n<main><div id=\"side\">\n",
        t = escape(&title),
        rules = match mode {
            Mode::Compat => "leanblueprint 0.0.20's rules (compat mode)",
            Mode::Fixed => "leanblueprint's rules with its quirks fixed",
        }
    );
    let p = &roadmap.progress;
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    let _ = write!(
        out,
        "<h2>Progress</h2><div>{} nodes: {} stated, {} done, {} fully proved</div><div class=\"bar\"><span style=\"width:{:.1}%\"></span></div>",
        p.nodes,
        p.stated,
        p.done,
        p.fully_proved,
        pct(p.done, p.nodes)
    );
    for crate::roadmap::ChapterProgress {
        chapter,
        progress: c,
    } in &roadmap.chapters
    {
        let name = if chapter.is_empty() {
            "(before the first chapter)"
        } else {
            chapter
        };
        let _ = write!(
            out,
            "<div>{}: {}/{} done</div><div class=\"bar\"><span style=\"width:{:.1}%\"></span></div>",
            escape(name),
            c.done,
            c.nodes,
            pct(c.done, c.nodes)
        );
    }
    out.push_str("<h2>View</h2><div class=\"controls\"><label>Graph <select id=\"graph\">");
    for g in graphs {
        let _ = write!(
            out,
            "<option value=\"{}\">{} ({} nodes)</option>",
            escape(&g.name),
            escape(&g.title),
            g.nodes.len()
        );
    }
    out.push_str("</select></label><label>Search <input id=\"search\" type=\"search\" placeholder=\"label, title or Lean name; Enter focuses\"></label><label>Focus shows <select id=\"dir\"><option value=\"both\">what it needs and what needs it</option><option value=\"up\">what it needs</option><option value=\"down\">what needs it</option></select></label><label>Depth <input id=\"depth\" type=\"number\" min=\"1\" placeholder=\"all\"></label><button id=\"clear\">Clear focus</button></div>\n<div id=\"details\"></div>\n<h2>Next</h2>");
    let items = |v: &[String]| -> String {
        if v.is_empty() {
            " none".into()
        } else {
            format!(
                "<ul>{}</ul>",
                v.iter()
                    .map(|x| format!("<li><code>{}</code></li>", escape(x)))
                    .collect::<String>()
            )
        }
    };
    let _ = write!(
        out,
        "<div>Ready to prove:{}</div><div>Ready to state:{}</div><div>Critical path ({} unfinished):{}</div>",
        items(&roadmap.ready_to_prove),
        items(&roadmap.ready_to_state),
        roadmap.critical_path.len(),
        items(&roadmap.critical_path)
    );
    out.push_str("<h2>Legend</h2><div class=\"legend\">");
    for (name, color, meaning) in legend(bp) {
        let swatch = if color.is_empty() {
            String::new()
        } else if name.ends_with("border") {
            format!(
                "<span class=\"swatch\" style=\"border-color:{}\"></span>",
                escape(&color)
            )
        } else {
            format!(
                "<span class=\"swatch\" style=\"background:{}\"></span>",
                escape(&color)
            )
        };
        let _ = write!(
            out,
            "<div>{swatch}<span><b>{}</b>: {}</span></div>",
            escape(&name),
            escape(&meaning)
        );
    }
    out.push_str("</div></div>\n<div id=\"view\">\n");
    for g in graphs {
        out.push_str(&render(bp, g, &ids));
    }
    let _ = write!(
        out,
        "</div></main>\n<script type=\"application/json\" id=\"data\">{data}</script>\n<script>{SCRIPT}</script>\n</body></html>\n"
    );
    out
}
