import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connect } from './api';
import { useStore } from './store';
import { bindApi } from './store/api';
import './styles.css';

const connection = connect();
bindApi(connection.api);
connection.onState((state) => useStore.getState().setConnection(state));
connection.api.onEvent((event) => {
  const store = useStore.getState();
  switch (event.type) {
    case 'snapshot':
      store.applySnapshot(event.snapshot);
      break;
    case 'engine-crashed':
      store.setEngineCrash(event.message);
      break;
    case 'engine-restarted':
      store.setEngineCrash(null);
      void store.refreshCluster();
      break;
  }
});

createRoot(document.getElementById('root')!).render(<App />);
