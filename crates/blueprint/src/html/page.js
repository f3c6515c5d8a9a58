(function(){
'use strict';
const body=document.body;
window.addEventListener('error',function(e){body.dataset.errors=(body.dataset.errors||'')+e.message+';';});
const data=JSON.parse(document.getElementById('data').textContent);
const view=document.getElementById('view');
const svgs=Array.from(document.querySelectorAll('svg.depgraph'));
const pick=document.getElementById('graph');
const search=document.getElementById('search');
const depthIn=document.getElementById('depth');
const dirIn=document.getElementById('dir');
const details=document.getElementById('details');
const minimap=document.getElementById('minimap');
const problems=document.getElementById('problems');
const firstFull=svgs.find(s=>s.querySelector('g.node'))||svgs[0];
// The view of each graph: graph coordinates at the top-left corner, and pixels per unit.
const views=new Map();
let state={graph:firstFull?firstFull.dataset.graph:'',focus:'',depth:'',dir:'both',view:''};
const KEYS=['graph','focus','depth','dir','view'];
function readHash(){
  const h=new URLSearchParams(location.hash.slice(1));
  for(const k of KEYS){if(h.get(k)!==null){state[k]=h.get(k);}}
}
let hashPending=false;
function writeHash(){
  if(hashPending){return;}
  hashPending=true;
  requestAnimationFrame(function(){
    hashPending=false;
    const svg=current();const v=svg&&views.get(svg);
    state.view=v?[v.x,v.y,v.s].map(n=>+n.toFixed(3)).join(','):'';
    const h=new URLSearchParams();
    for(const k of KEYS){if(state[k]){h.set(k,state[k]);}}
    history.replaceState(null,'','#'+h.toString());
  });
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

// ---- Pan and zoom: the svg fills the view; its viewBox is the part of the graph shown.
function size(svg){const g=geometry(svg);return svg._moved?svg._bounds:{w:g.width,h:g.height};}
function applyView(svg){
  const v=views.get(svg);if(!v){return;}
  const r=view.getBoundingClientRect();
  svg.setAttribute('viewBox',v.x.toFixed(2)+' '+v.y.toFixed(2)+' '+(r.width/v.s).toFixed(2)+' '+(r.height/v.s).toFixed(2));
  drawMinimap(svg);
  if(svg===current()){body.dataset.scale=v.s.toFixed(4);writeHash();}
}
function fitScale(w,h){
  const r=view.getBoundingClientRect();
  return Math.min(4,Math.max(1e-3,Math.min((r.width-24)/Math.max(w,1),(r.height-24)/Math.max(h,1))));
}
// Shows the box (x,y,w,h) of graph coordinates whole, centred; `cap` bounds the zoom.
function fitBox(svg,x,y,w,h,cap){
  const r=view.getBoundingClientRect();
  const s=Math.min(cap||4,fitScale(w,h));
  views.set(svg,{x:x+w/2-r.width/(2*s),y:y+h/2-r.height/(2*s),s:s});
  applyView(svg);
}
function fit(svg){const b=size(svg);fitBox(svg,0,0,b.w,b.h);}
function zoomAt(svg,factor,px,py){
  const v=views.get(svg);if(!v){return;}
  // Out to half the whole graph's fitted size at most, in to 8 pixels a unit.
  const b=size(svg),least=Math.min(0.02,fitScale(b.w,b.h)/2);
  const s=Math.min(8,Math.max(least,v.s*factor));
  const gx=v.x+px/v.s,gy=v.y+py/v.s;
  views.set(svg,{x:gx-px/s,y:gy-py/s,s:s});
  applyView(svg);
}
function panBy(svg,dx,dy){
  const v=views.get(svg);if(!v){return;}
  v.x-=dx/v.s;v.y-=dy/v.s;applyView(svg);
}
function centreOn(svg,gx,gy){
  const v=views.get(svg);if(!v){return;}
  const r=view.getBoundingClientRect();
  v.x=gx-r.width/(2*v.s);v.y=gy-r.height/(2*v.s);applyView(svg);
}
view.addEventListener('wheel',function(e){
  e.preventDefault();
  const r=view.getBoundingClientRect();
  // A pinch on a touchpad arrives as a wheel event with ctrlKey.
  const speed=e.ctrlKey?0.01:0.0015;
  const dy=e.deltaMode===1?e.deltaY*16:e.deltaY;
  zoomAt(current(),Math.exp(-dy*speed),e.clientX-r.left,e.clientY-r.top);
},{passive:false});
// Drag to pan (a press that moves less than 4 pixels is a click); two fingers pinch.
const pointers=new Map();
let drag=null,pinch=null,dragged=false;
view.addEventListener('pointerdown',function(e){
  if(e.target.closest('#toolbar')||e.target.closest('#minimap')||e.target.closest('#problems')){return;}
  pointers.set(e.pointerId,{x:e.clientX,y:e.clientY});
  if(pointers.size===1){drag={x:e.clientX,y:e.clientY};dragged=false;}
  if(pointers.size===2){
    const [a,b]=Array.from(pointers.values());
    pinch={d:Math.hypot(a.x-b.x,a.y-b.y)};drag=null;
  }
});
view.addEventListener('pointermove',function(e){
  if(!pointers.has(e.pointerId)){return;}
  pointers.set(e.pointerId,{x:e.clientX,y:e.clientY});
  if(pinch&&pointers.size===2){
    const [a,b]=Array.from(pointers.values());
    const d=Math.hypot(a.x-b.x,a.y-b.y),r=view.getBoundingClientRect();
    if(pinch.d>0){zoomAt(current(),d/pinch.d,(a.x+b.x)/2-r.left,(a.y+b.y)/2-r.top);}
    pinch.d=d;return;
  }
  if(!drag){return;}
  const dx=e.clientX-drag.x,dy=e.clientY-drag.y;
  if(!dragged&&Math.hypot(dx,dy)<4){return;}
  if(!dragged){dragged=true;view.classList.add('dragging');try{view.setPointerCapture(e.pointerId);}catch(_){}}
  panBy(current(),dx,dy);drag={x:e.clientX,y:e.clientY};
});
function release(e){
  pointers.delete(e.pointerId);
  if(pointers.size<2){pinch=null;}
  if(pointers.size===0){drag=null;view.classList.remove('dragging');}
}
view.addEventListener('pointerup',release);
view.addEventListener('pointercancel',release);
document.getElementById('zoom-in').addEventListener('click',function(){const r=view.getBoundingClientRect();zoomAt(current(),1.4,r.width/2,r.height/2);});
document.getElementById('zoom-out').addEventListener('click',function(){const r=view.getBoundingClientRect();zoomAt(current(),1/1.4,r.width/2,r.height/2);});
document.getElementById('fit').addEventListener('click',function(){fit(current());});
document.addEventListener('keydown',function(e){
  if(e.target.tagName==='INPUT'||e.target.tagName==='SELECT'||e.ctrlKey||e.metaKey||e.altKey){return;}
  const r=view.getBoundingClientRect(),svg=current(),step=80;
  const act={'+':()=>zoomAt(svg,1.4,r.width/2,r.height/2),'=':()=>zoomAt(svg,1.4,r.width/2,r.height/2),
    '-':()=>zoomAt(svg,1/1.4,r.width/2,r.height/2),'0':()=>fit(svg),
    'ArrowLeft':()=>panBy(svg,step,0),'ArrowRight':()=>panBy(svg,-step,0),'ArrowUp':()=>panBy(svg,0,step),'ArrowDown':()=>panBy(svg,0,-step),
    'Escape':()=>{state.focus='';search.value='';show();}}[e.key];
  if(act){e.preventDefault();act();}
});
window.addEventListener('resize',function(){const svg=current();if(views.has(svg)){applyView(svg);}});

// ---- Minimap, for graphs that do not fit at a readable size: the whole graph and the part
// shown; a press or drag there moves the view.
const SVGNS='http://www.w3.org/2000/svg';
function drawMinimap(svg){
  if(svg!==current()){return;}
  const v=views.get(svg),b=size(svg),r=view.getBoundingClientRect();
  const large=nodesOf(svg).length>=40&&v&&(r.width/v.s<b.w*0.98||r.height/v.s<b.h*0.98);
  minimap.classList.toggle('shown',!!large);
  if(!large){return;}
  if(minimap._for!==svg||minimap._moved!==svg._moved){
    minimap.textContent='';
    const use=document.createElementNS(SVGNS,'use');
    use.setAttribute('href','#'+svg.querySelector('g.content').id);
    minimap.appendChild(use);
    const rect=document.createElementNS(SVGNS,'rect');rect.setAttribute('class','viewport');
    minimap.appendChild(rect);
    minimap._for=svg;minimap._moved=svg._moved;
  }
  minimap.setAttribute('viewBox','0 0 '+b.w.toFixed(1)+' '+b.h.toFixed(1));
  const rect=minimap.querySelector('rect.viewport');
  rect.setAttribute('x',v.x.toFixed(1));rect.setAttribute('y',v.y.toFixed(1));
  rect.setAttribute('width',(r.width/v.s).toFixed(1));rect.setAttribute('height',(r.height/v.s).toFixed(1));
}
function minimapTo(e){
  const svg=current(),b=size(svg),m=minimap.getBoundingClientRect();
  const s=Math.min(m.width/b.w,m.height/b.h),ox=(m.width-b.w*s)/2,oy=(m.height-b.h*s)/2;
  centreOn(svg,(e.clientX-m.left-ox)/s,(e.clientY-m.top-oy)/s);
}
let mapDrag=false;
minimap.addEventListener('pointerdown',function(e){mapDrag=true;minimapTo(e);e.stopPropagation();try{minimap.setPointerCapture(e.pointerId);}catch(_){}});
minimap.addEventListener('pointermove',function(e){if(mapDrag){minimapTo(e);}});
minimap.addEventListener('pointerup',function(){mapDrag=false;});

// ---- Focus lays the kept nodes out again (layers by longest path, barycentre order, packed
// rows), so a node's neighbourhood reads on its own; clearing the focus restores the page's
// layout.
function geometry(svg){
  if(svg._geo){return svg._geo;}
  const g={width:+svg.getAttribute('width'),height:+svg.getAttribute('height'),nodes:new Map(),edges:new Map()};
  for(const n of nodesOf(svg)){
    const r=n.querySelector('rect'),e=n.querySelector('ellipse');
    const box=r?{x:+r.getAttribute('x')+(+r.getAttribute('width'))/2,y:+r.getAttribute('y')+(+r.getAttribute('height'))/2,w:+r.getAttribute('width'),h:+r.getAttribute('height')}
               :{x:+e.getAttribute('cx'),y:+e.getAttribute('cy'),w:2*(+e.getAttribute('rx')),h:2*(+e.getAttribute('ry'))};
    g.nodes.set(n.dataset.id,box);n.dataset.x=box.x;n.dataset.y=box.y;
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
  const g=svg._geo;if(!g||!svg._moved){return false;}
  for(const n of nodesOf(svg)){const b=g.nodes.get(n.dataset.id);moveNode(n,b,b.x,b.y);n.style.display='';}
  for(const [e,d] of g.edges){e.setAttribute('d',d);e.style.display='';}
  svg._moved=false;
  return true;
}
// The same smooth curve as the SVG writer: cubic pieces leaving and reaching points vertically.
function curve(pts){
  let d='M'+pts[0][0].toFixed(1)+','+pts[0][1].toFixed(1);
  for(let i=1;i<pts.length;i++){
    const [xa,ya]=pts[i-1],[xb,yb]=pts[i],bend=(yb-ya)/2;
    d+=' C'+xa.toFixed(1)+','+(ya+bend).toFixed(1)+' '+xb.toFixed(1)+','+(yb-bend).toFixed(1)+' '+xb.toFixed(1)+','+yb.toFixed(1);
  }
  return d;
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
  const gapX=24,gapY=56,margin=16;let width=0,y=margin;const at={};
  const rowWidth=r=>r.reduce((a,id)=>a+g.nodes.get(id).w,0)+gapX*Math.max(0,r.length-1);
  const widest=Math.max(0,...rows.map(rowWidth));
  for(const r of rows){
    // Each row centred under the widest.
    let x=margin+(widest-rowWidth(r))/2,h=0;
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
      e.setAttribute('d',curve([[a.x,a.y+ha],[b.x,b.y-hb]]));e.style.display='';
    }else{e.style.display='none';}
  }
  svg._bounds={w:Math.max(width,margin*2),h:Math.max(height,margin*2)};
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
let shownGraph=null,shownFocus=null;
function show(){
  for(const s of svgs){s.classList.toggle('shown',s===current());}
  const svg=current(); if(!svg){return;}
  geometry(svg);
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
  const focusKey=keep===null?'':state.focus+'|'+state.depth+'|'+state.dir;
  const changed=shownGraph!==svg||shownFocus!==focusKey;
  if(keep!==null){if(changed){relayout(svg,keep);}}else{restore(svg);}
  if(changed){
    if(keep!==null){
      // Recentre on the focused node, its neighbourhood as large as the view allows.
      const b=size(svg),n=nodesOf(svg).find(x=>x.dataset.id===state.focus);
      views.set(svg,{x:0,y:0,s:Math.min(1.5,fitScale(b.w,b.h))});
      centreOn(svg,+n.dataset.x,+n.dataset.y);
    }else if(!views.has(svg)||shownFocus){
      // A graph shown for the first time, or the focus just cleared: the whole graph.
      fit(svg);
    }
    shownGraph=svg;shownFocus=focusKey;
  }
  applyView(svg);
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
    '<div>Lean:'+list(n.lean)+'</div><div>uses:'+list(n.uses)+'</div><div>used by:'+list(n.used_by)+'</div>'+
    (n.numerics||[]).map(p=>'<div>numerics: <a href="'+esc(p.href)+'">plot of <code>'+esc(p.decl)+'</code></a> — '+esc(p.verdict)+'</div>').join('');
}
function showProblems(){
  const esc=s=>String(s).replace(/[&<>"']/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'})[c]);
  const list=data.problems||[];
  problems.classList.toggle('shown',list.length>0);
  problems.innerHTML=list.length?'<b>'+list.length+(list.length===1?' problem':' problems')+':</b><ul>'+list.map(p=>'<li><code>'+esc(p)+'</code></li>').join('')+'</ul>':'';
  body.dataset.problems=String(list.length);
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
    if(dragged){return;}
    const g=e.target.closest('g.node');
    if(g){state.focus=(state.focus===g.dataset.id)?'':g.dataset.id;show();}
  });
}
readHash();
depthIn.value=state.depth;dirIn.value=state.dir;
showProblems();
show();
// A view kept in the address (a reload, a shared link) wins over fitting.
(function(){
  const v=(state.view||'').split(',').map(Number);
  if(v.length===3&&v.every(isFinite)&&v[2]>0){views.set(current(),{x:v[0],y:v[1],s:v[2]});applyView(current());}
})();
body.dataset.nodes=String(svgs.reduce((k,s)=>k+nodesOf(s).length,0));
body.dataset.status='ready';
if(location.search.indexOf('selftest')>=0){selftest();}

// Exercises the page the way a user would and records what it showed: the first view, and the
// largest graph's when the selector first shows it, hold the whole graph; the wheel and a
// pinch zoom about the cursor; a drag pans; Fit comes back; no two nodes overlap; focus
// recentres on the focused node; clearing the focus restores every node.
function selftest(){
  const r=view.getBoundingClientRect();
  const screen=(svg,x,y)=>{const v=views.get(svg);return [(x-v.x)*v.s,(y-v.y)*v.s];};
  // Every node and edge of the graph shown lies inside the view.
  const inView=function(svg,x,y,w,h){
    const [x0,y0]=screen(svg,x,y),[x1,y1]=screen(svg,x+w,y+h);
    return x0>=-0.5&&y0>=-0.5&&x1<=r.width+0.5&&y1<=r.height+0.5;
  };
  const whole=function(svg){
    for(const b of geometry(svg).nodes.values()){
      if(!inView(svg,b.x-b.w/2,b.y-b.h/2,b.w,b.h)){return false;}
    }
    // Edges stay inside the drawing too (a spline can swing wider than its points).
    const e=svg.querySelector('g.edges').getBBox(),b=size(svg);
    const drawn=e.x>=-0.5&&e.y>=-0.5&&e.x+e.width<=b.w+0.5&&e.y+e.height<=b.h+0.5;
    return drawn&&inView(svg,e.x,e.y,e.width,e.height);
  };
  // The view the page opened on, then the largest graph as the selector first shows it.
  const opened=whole(current());
  const svg=svgs.reduce((a,b)=>nodesOf(b).length>nodesOf(a).length?b:a);
  if(svg!==current()){pick.value=svg.dataset.graph;pick.dispatchEvent(new Event('change'));}
  const inside=opened&&whole(svg);
  const page=document.documentElement;
  const noScroll=page.scrollWidth<=innerWidth+1&&page.scrollHeight<=innerHeight+1;
  const fitted=views.get(svg).s;
  // (Whole pixels: a mouse event's coordinates are.)
  const cx=Math.round(r.left+r.width/2),cy=Math.round(r.top+r.height/2);
  // The wheel zooms in about the cursor: the graph point under it stays put.
  const under=v=>[v.x+(cx-r.left)/v.s,v.y+(cy-r.top)/v.s];
  const [gx,gy]=under(views.get(svg));
  view.dispatchEvent(new WheelEvent('wheel',{deltaY:-300,clientX:cx,clientY:cy,bubbles:true,cancelable:true}));
  const wheeled=views.get(svg).s;
  const [hx,hy]=under(views.get(svg));
  const steady=Math.abs(hx-gx)<1e-6&&Math.abs(hy-gy)<1e-6;
  // A touchpad pinch (a wheel event with ctrlKey) zooms too.
  view.dispatchEvent(new WheelEvent('wheel',{deltaY:-40,ctrlKey:true,clientX:cx,clientY:cy,bubbles:true,cancelable:true}));
  const zoomed=views.get(svg).s;
  const zoomOk=wheeled>fitted*1.2&&zoomed>wheeled*1.2&&steady;
  const before=views.get(svg).x;
  const ev=(type,x,y)=>view.dispatchEvent(new PointerEvent(type,{pointerId:7,clientX:x,clientY:y,bubbles:true,isPrimary:true}));
  ev('pointerdown',cx,cy);ev('pointermove',cx+60,cy);ev('pointermove',cx+120,cy);ev('pointerup',cx+120,cy);
  const panned=Math.abs(views.get(svg).x-(before-120/zoomed))<1e-6;
  dragged=false;
  document.getElementById('fit').click();
  const refit=Math.abs(views.get(svg).s-fitted)<1e-9&&whole(svg);
  const overlapping=overlaps(svg);
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
  const focusOverlap=overlaps(svg);
  const fn=nodesOf(svg).find(n=>n.dataset.id===best);
  const [fx,fy]=screen(svg,+fn.dataset.x,+fn.dataset.y);
  const centred=Math.abs(fx-r.width/2)<2&&Math.abs(fy-r.height/2)<2;
  state.focus='';search.value=best;show();
  const matched=parseInt(body.dataset.matched,10);
  const all=nodesOf(svg).filter(n=>n.style.display!=='none').length;
  const ok=inside&&noScroll&&zoomOk&&panned&&refit&&overlapping===0&&up>=1&&both>=up&&focusOverlap===0&&centred&&matched>=1&&all===nodesOf(svg).length;
  body.dataset.selftest=(ok?'ok':'failed')+' nodes='+nodesOf(svg).length+' fitted='+inside+' noscroll='+noScroll+' scale='+fitted.toFixed(3)+' wheel='+wheeled.toFixed(3)+' pinch='+zoomed.toFixed(3)+' steady='+steady+' panned='+panned+' refit='+refit+' overlapping='+overlapping+' focus='+best+' up='+up+' both='+both+' focusoverlap='+focusOverlap+' centred='+centred+' matched='+matched+' restored='+all;
}
})();
