(function(){
'use strict';
// Served by `theorist blueprint serve`: ask the server for the render after this one (it
// answers when the sources change, or after a while with the same version) and reload when it
// differs. The view (graph, focus, zoom) lives in the URL's fragment, so the reload keeps it.
const body=document.body;
const version=JSON.parse(document.getElementById('live').textContent).version;
function poll(){
  fetch('/version?after='+version,{cache:'no-store'})
    .then(function(r){if(!r.ok){throw new Error(String(r.status));}return r.text();})
    .then(function(t){
      body.dataset.live='connected';
      if(parseInt(t,10)!==version){location.reload();}else{poll();}
    })
    .catch(function(){body.dataset.live='disconnected';setTimeout(poll,1000);});
}
body.dataset.live='connected';
poll();
})();
