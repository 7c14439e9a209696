import '@fontsource-variable/inter/wght.css';
import './styles/theme.css';
import { mount } from 'svelte';
import App from './app.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });
