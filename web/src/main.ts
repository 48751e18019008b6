import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import './style.css';
// the services called from code (ElMessage, ElMessageBox) bring their styles here; components
// bring theirs on demand (unplugin-vue-components)
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';

createApp(App).use(router).mount('#app');
